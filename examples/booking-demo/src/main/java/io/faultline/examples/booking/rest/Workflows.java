package io.faultline.examples.booking.rest;

/** The first user's workflow names (the classifier's vocabulary), by the API path they serve. */
final class Workflows {

    private Workflows() {}

    static String ofPath(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        if (p.startsWith("/api/payments")) {
            return "payment_processing";
        }
        if (p.startsWith("/api/clients")) {
            return "client_management";
        }
        if (p.startsWith("/api/bookings") || p.startsWith("/api/availability")) {
            return "booking";
        }
        return null;
    }
}
