package io.faultline.examples.booking.rest;

import io.faultline.examples.booking.availability.AvailabilityService;
import io.faultline.examples.booking.faults.Fault;
import io.faultline.examples.booking.faults.FaultSwitchboard;
import io.faultline.examples.booking.payment.PaymentGateway;
import io.faultline.examples.booking.service.BookingService;
import io.faultline.examples.booking.service.ClientDirectory;
import io.faultline.examples.booking.service.NotificationInbox;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Operations endpoints: switch faults on and off (the demo's incidents), and the remediation
 * endpoints Faultline's runbooks call. Unauthenticated because the demo binds to localhost; a real
 * application would guard them as it guards any admin API.
 */
@Path("/admin")
public class AdminResource {

    private static final Logger LOG = Logger.getLogger(AdminResource.class);

    private final FaultSwitchboard faults;
    private final PaymentGateway gateway;
    private final AvailabilityService availability;
    private final ClientDirectory clients;
    private final BookingService bookings;
    private final NotificationInbox inbox;

    public AdminResource(
            FaultSwitchboard faults,
            PaymentGateway gateway,
            AvailabilityService availability,
            ClientDirectory clients,
            BookingService bookings,
            NotificationInbox inbox) {
        this.faults = faults;
        this.gateway = gateway;
        this.availability = availability;
        this.clients = clients;
        this.bookings = bookings;
        this.inbox = inbox;
    }

    @GET
    @Path("/faults")
    public Map<String, String> activeFaults() {
        return faults.describe();
    }

    /** Switches a fault on; {@code seconds} makes it heal by itself after that long. */
    @POST
    @Path("/faults/{name}")
    public Map<String, String> switchOn(@PathParam("name") String name, @QueryParam("seconds") Double seconds) {
        Fault fault = Fault.fromWire(name).orElseThrow(() -> new NotFoundException("no fault " + name));
        if (fault == Fault.PAYMENT_CIRCUIT_STUCK_OPEN) {
            // the incident is the breaker's state, not the gateway's: it stays open until reset
            gateway.breaker().trip();
        } else {
            faults.switchOn(fault, seconds == null ? null : Duration.ofMillis((long) (seconds * 1000)));
        }
        LOG.warnf("fault %s switched on%s", name, seconds == null ? "" : " for " + seconds + " s");
        return activeFaults();
    }

    @DELETE
    @Path("/faults/{name}")
    public Map<String, String> switchOff(@PathParam("name") String name) {
        Fault fault = Fault.fromWire(name).orElseThrow(() -> new NotFoundException("no fault " + name));
        faults.switchOff(fault);
        return activeFaults();
    }

    /** Back to healthy: every fault off, breaker closed, availability from the calendar service. */
    @POST
    @Path("/faults/reset")
    public Map<String, String> healAll() {
        faults.switchAllOff();
        gateway.breaker().close();
        availability.switchTo(AvailabilityService.Source.CALENDAR_SERVICE);
        return activeFaults();
    }

    @POST
    @Path("/circuit-breakers/payment-gateway/reset")
    public Map<String, Object> resetPaymentBreaker(String body) {
        gateway.breaker().reset();
        LOG.infof("circuit breaker payment-gateway reset (%s)", body == null ? "" : body);
        return paymentBreaker();
    }

    @GET
    @Path("/circuit-breakers/payment-gateway")
    public Map<String, Object> paymentBreaker() {
        return Map.of(
                "name",
                gateway.breaker().name(),
                "state",
                gateway.breaker().state().name(),
                "resets",
                gateway.breaker().resets());
    }

    @POST
    @Path("/fallbacks/availability/cache")
    public Map<String, String> serveAvailabilityFromCache(String body) {
        availability.switchTo(AvailabilityService.Source.CACHE);
        LOG.infof("availability now served from the cache (%s)", body == null ? "" : body);
        return Map.of("source", availability.source().name());
    }

    @DELETE
    @Path("/fallbacks/availability")
    public Map<String, String> serveAvailabilityFromCalendar() {
        availability.switchTo(AvailabilityService.Source.CALENDAR_SERVICE);
        return Map.of("source", availability.source().name());
    }

    @POST
    @Path("/caches/clients/clear")
    public Map<String, Object> clearClientCache(String body) {
        clients.clearCache();
        LOG.infof("client profile cache cleared (%s)", body == null ? "" : body);
        return Map.of("cleared", true, "clears", clients.cacheClears());
    }

    /** What the remediations did, for the demo's observers, the end-to-end test and the benchmark. */
    @GET
    @Path("/stats")
    public Map<String, Object> stats() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("paymentBreakerState", gateway.breaker().state().name());
        s.put("paymentBreakerResets", gateway.breaker().resets());
        s.put("availabilitySource", availability.source().name());
        s.put("availabilityFallbackSwitches", availability.fallbackSwitches());
        s.put("clientCacheClears", clients.cacheClears());
        s.put("redrivesReceived", bookings.redrivesReceived());
        s.put("bookingsRedriven", bookings.bookingsRedriven());
        s.put("bookingsParked", bookings.parkedCount());
        s.put("notifications", inbox.all().size());
        return s;
    }

    @GET
    @Path("/notifications")
    public List<NotificationInbox.Notification> notifications() {
        return inbox.all();
    }
}
