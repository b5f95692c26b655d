package io.faultline.examples.booking.service;

import io.faultline.examples.booking.faults.Fault;
import io.faultline.examples.booking.faults.FaultSwitchboard;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients and their profile page. The demo's unfixable bug lives here: with the fault on, clients
 * come back without a loyalty tier (a migration that left the column null) and the profile code
 * dereferences it. No runbook can fix code; clearing the profile cache is tried and does not help.
 */
@ApplicationScoped
public class ClientDirectory {

    public enum LoyaltyTier {
        STANDARD(0),
        SILVER(5),
        GOLD(10);

        final int discountPercent;

        LoyaltyTier(int discountPercent) {
            this.discountPercent = discountPercent;
        }
    }

    public record Client(String id, String name, LoyaltyTier tier) {}

    public record Profile(String id, String name, String tier, int discountPercent) {}

    private final FaultSwitchboard faults;
    private final Map<String, Profile> profileCache = new ConcurrentHashMap<>();
    private final AtomicLong cacheClears = new AtomicLong();

    public ClientDirectory(FaultSwitchboard faults) {
        this.faults = faults;
    }

    public Optional<Profile> profile(String clientId) {
        if (!faults.isOn(Fault.CLIENT_PROFILE_BUG)) {
            Profile cached = profileCache.get(clientId);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        Client client = load(clientId);
        Profile p = new Profile(client.id(), client.name(), client.tier().name(), client.tier().discountPercent);
        profileCache.put(clientId, p);
        return Optional.of(p);
    }

    public void clearCache() {
        profileCache.clear();
        cacheClears.incrementAndGet();
    }

    public long cacheClears() {
        return cacheClears.get();
    }

    private Client load(String clientId) {
        LoyaltyTier tier = faults.isOn(Fault.CLIENT_PROFILE_BUG)
                ? null
                : LoyaltyTier.values()[Math.floorMod(clientId.hashCode(), LoyaltyTier.values().length)];
        return new Client(clientId, "Client " + clientId, tier);
    }
}
