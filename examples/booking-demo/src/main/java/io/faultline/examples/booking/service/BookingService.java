package io.faultline.examples.booking.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.examples.booking.payment.PaymentGateway;
import io.faultline.examples.booking.reporting.ErrorReporter;
import io.faultline.examples.booking.store.Booking;
import io.faultline.examples.booking.store.BookingDatabase;
import io.faultline.examples.booking.store.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Bookings and their payment. A booking whose write fails is parked with its retry payload, which
 * goes with the error report: when Faultline's redrive strategy publishes that payload to the
 * retry topic, {@link #redrive} writes the parked bookings again, so a database blip loses no
 * client's appointment.
 */
@ApplicationScoped
public class BookingService {

    private static final Logger LOG = Logger.getLogger(BookingService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String INSERT =
            "insert into booking (client_id, service, slot, price_cents, status, id) values (?, ?, ?, ?, ?, ?)";

    /** What a client asks for. */
    public record NewBooking(String clientId, String service, String slot, long priceCents) {}

    /** What one re-drive did. */
    public record RedriveResult(int redriven, int stillFailing) {}

    private final BookingDatabase db;
    private final PaymentGateway gateway;
    private final ErrorReporter reporter;
    private final Map<String, Booking> parked = new ConcurrentHashMap<>();
    private final AtomicLong redrivesReceived = new AtomicLong();
    private final AtomicLong bookingsRedriven = new AtomicLong();

    public BookingService(BookingDatabase db, PaymentGateway gateway, ErrorReporter reporter) {
        this.db = db;
        this.gateway = gateway;
        this.reporter = reporter;
    }

    public Booking create(NewBooking request) {
        Booking booking = new Booking(
                "bk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12),
                request.clientId(),
                request.service(),
                request.slot(),
                request.priceCents(),
                Booking.Status.CONFIRMED,
                null);
        try {
            db.insert(booking);
            return booking;
        } catch (SQLException e) {
            parked.put(booking.id(), booking);
            throw new StoreException(
                    "could not execute statement [" + INSERT + "]", e, retryPayload(booking), booking.id());
        }
    }

    public Optional<Booking> find(String id) {
        try {
            return db.find(id);
        } catch (SQLException e) {
            throw new StoreException("could not execute query [select * from booking where id = ?]", e, null, null);
        }
    }

    public Booking pay(String bookingId) {
        Booking booking = find(bookingId).orElseThrow(() -> new UnknownBookingException(bookingId));
        gateway.charge(bookingId, booking.priceCents());
        Booking paid = booking.withStatus(Booking.Status.PAID);
        try {
            db.update(paid);
        } catch (SQLException e) {
            throw new StoreException(
                    "could not execute statement [update booking set status = ? where id = ?]", e, null, null);
        }
        return paid;
    }

    /**
     * Re-drives the booking the payload names and every other booking parked by the same outage:
     * the resolver re-drives once per incident, not once per failed request, like a dead-letter
     * queue redrive.
     */
    public RedriveResult redrive(String payload, String attemptId) {
        return redrive(payload, attemptId, true);
    }

    /**
     * @param reportFailures whether a booking that fails again is reported; the retry consumer
     *     retries a re-drive locally first and reports only when it gives up
     */
    public RedriveResult redrive(String payload, String attemptId, boolean reportFailures) {
        redrivesReceived.incrementAndGet();
        String named = bookingIdOf(payload);
        List<Booking> todo = new ArrayList<>(parked.values());
        if (named != null && !parked.containsKey(named)) {
            LOG.infof("re-drive of %s by %s: already written", named, attemptId);
        }
        int ok = 0;
        int failing = 0;
        for (Booking b : todo) {
            Booking again = b.redrivenBy(attemptId);
            try {
                db.insert(again);
                parked.remove(b.id());
                bookingsRedriven.incrementAndGet();
                ok++;
            } catch (SQLException e) {
                failing++;
                if (!reportFailures) {
                    continue;
                }
                reporter.report(
                        new StoreException("could not execute statement [" + INSERT + "]", e, retryPayload(b), b.id()),
                        "booking",
                        Map.of(ErrorReporter.RETRY_PAYLOAD, retryPayload(b), "redrive_attempt", attemptId));
            }
        }
        LOG.infof("re-drive by %s: %d booking(s) written, %d still failing", attemptId, ok, failing);
        return new RedriveResult(ok, failing);
    }

    public int parkedCount() {
        return parked.size();
    }

    public long redrivesReceived() {
        return redrivesReceived.get();
    }

    public long bookingsRedriven() {
        return bookingsRedriven.get();
    }

    static String retryPayload(Booking b) {
        try {
            return JSON.writeValueAsString(Map.of(
                    "operation", "create-booking",
                    "bookingId", b.id(),
                    "clientId", b.clientId(),
                    "service", b.service(),
                    "slot", b.slot(),
                    "priceCents", b.priceCents()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String bookingIdOf(String payload) {
        try {
            JsonNode n = JSON.readTree(payload);
            return n.hasNonNull("bookingId") ? n.get("bookingId").asText() : null;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("retry payload is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
