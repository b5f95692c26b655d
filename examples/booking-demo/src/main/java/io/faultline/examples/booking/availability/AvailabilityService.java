package io.faultline.examples.booking.availability;

import io.faultline.examples.booking.faults.Fault;
import io.faultline.examples.booking.faults.FaultSwitchboard;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Free slots of a day, read from the calendar service. When that service is slow the read times
 * out; the remedy is to serve the last slots read (a cache fallback), stale by minutes but
 * bookable, until the dependency recovers.
 */
@ApplicationScoped
public class AvailabilityService {

    /** Where slots come from. */
    public enum Source {
        CALENDAR_SERVICE,
        CACHE
    }

    private final FaultSwitchboard faults;
    private final Duration readTimeout;
    private final Map<String, List<String>> lastRead = new ConcurrentHashMap<>();
    private final AtomicLong fallbackSwitches = new AtomicLong();
    private volatile Source source = Source.CALENDAR_SERVICE;

    public AvailabilityService(
            FaultSwitchboard faults,
            @ConfigProperty(name = "booking.availability.read-timeout", defaultValue = "150ms") Duration readTimeout) {
        this.faults = faults;
        this.readTimeout = readTimeout;
    }

    public record Slots(String date, List<String> slots, Source source) {}

    public Slots slots(String date) {
        if (source == Source.CACHE) {
            return new Slots(date, lastRead.getOrDefault(date, defaultDay()), Source.CACHE);
        }
        List<String> slots;
        try {
            slots = readFromCalendar(date);
        } catch (CalendarServiceException e) {
            // the fallback was switched on while this request waited: it serves from the cache too
            if (source == Source.CACHE) {
                return new Slots(date, lastRead.getOrDefault(date, defaultDay()), Source.CACHE);
            }
            throw e;
        }
        lastRead.put(date, slots);
        return new Slots(date, slots, Source.CALENDAR_SERVICE);
    }

    /** The remediation webhook: serve from the cache from now on. */
    public void switchTo(Source s) {
        if (s == Source.CACHE && source != Source.CACHE) {
            fallbackSwitches.incrementAndGet();
        }
        source = s;
    }

    public Source source() {
        return source;
    }

    public long fallbackSwitches() {
        return fallbackSwitches.get();
    }

    private List<String> readFromCalendar(String date) {
        if (faults.isOn(Fault.SLOW_AVAILABILITY)) {
            // the calendar service holds the connection past our read timeout: the request really
            // waits that long before failing, as it would on a socket read
            try {
                Thread.sleep(readTimeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new CalendarServiceException(
                    "GET http://calendar-service:8080/api/slots?date=" + date + " failed",
                    new SocketTimeoutException("Read timed out after " + readTimeout.toMillis() + " ms"));
        }
        return defaultDay();
    }

    private static List<String> defaultDay() {
        return List.of("09:00", "10:00", "11:30", "14:00", "15:30", "17:00");
    }
}
