package io.faultline.loadgen;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Realistic Sentry-shaped error events: a handful of exception shapes and log messages with
 * varying values, so grouping and template mining do real work during a benchmark.
 */
public final class SampleEvents {

    /** type, value format (one number), in-app module, function, workflow (null: none). */
    static final String[][] EXCEPTIONS = {
        {
            "java.sql.SQLTransientConnectionException",
            "HikariPool-1 - Connection is not available, request timed out after %dms.",
            "com.example.booking.BookingRepository",
            "save",
            "booking"
        },
        {
            "com.stripe.exception.CardException",
            "Your card was declined. (decline_code: insufficient_funds, charge ch_%d)",
            "com.example.payment.StripeGateway",
            "charge",
            "payment_processing"
        },
        {
            "java.net.SocketTimeoutException",
            "Read timed out after %d ms calling https://api.partner.example/v2/clients",
            "com.example.clients.PartnerClient",
            "fetch",
            "client_management"
        },
        {
            "org.springframework.security.authentication.BadCredentialsException",
            "Bad credentials for user id %d",
            "com.example.auth.LoginService",
            "login",
            null
        },
        {
            "jakarta.validation.ConstraintViolationException",
            "save.arg0.email: must be a well-formed email address (row %d)",
            "com.example.clients.ClientResource",
            "create",
            "client_management"
        },
    };

    private static final String[] MESSAGES = {
        "Slow query took %d ms on table bookings",
        "Cache miss ratio %d%% above threshold for region eu-west-1",
        "Payment webhook retried %d times for order ord_%d",
    };

    private SampleEvents() {}

    public static String eventId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** A request posting one fresh event to the native endpoint {@code url}. */
    static HttpLoad.Shot single(String url, String key) {
        String id = eventId();
        return new HttpLoad.Shot(
                HttpLoad.post(url, key, "application/json", json(id)).build(), 1, id);
    }

    /** One event as JSON, with the given id. */
    public static String json(String eventId) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int n = r.nextInt(1, 100_000);
        if (r.nextInt(4) == 0) {
            String m = MESSAGES[r.nextInt(MESSAGES.length)];
            return "{\"event_id\":\"" + eventId + "\",\"level\":\"warning\",\"platform\":\"java\",\"message\":\""
                    + String.format(m, n, r.nextInt(1000)) + "\",\"tags\":{\"service\":\"bench\"}}";
        }
        String[] e = EXCEPTIONS[r.nextInt(EXCEPTIONS.length)];
        String workflow = e[4] == null ? "" : ",\"workflow\":\"" + e[4] + "\"";
        return "{\"event_id\":\"" + eventId + "\",\"level\":\"error\",\"platform\":\"java\","
                + "\"release\":\"shop@1.4." + r.nextInt(3) + "\",\"environment\":\"production\","
                + "\"tags\":{\"service\":\"bench\"" + workflow + "},"
                + "\"user\":{\"id\":\"u" + n + "\"},"
                + "\"exception\":{\"values\":[{\"type\":\"" + e[0] + "\",\"value\":\"" + String.format(e[1], n)
                + "\",\"stacktrace\":{\"frames\":["
                + "{\"module\":\"org.eclipse.jetty.server.HttpChannel\",\"function\":\"handle\",\"lineno\":479,\"in_app\":false},"
                + "{\"module\":\"" + e[2] + "\",\"function\":\"" + e[3] + "\",\"lineno\":" + r.nextInt(20, 400)
                + ",\"in_app\":true}]}}]}}";
    }
}
