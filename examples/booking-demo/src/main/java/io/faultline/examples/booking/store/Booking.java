package io.faultline.examples.booking.store;

/**
 * A client's appointment. {@code redrivenBy} names the remediation attempt that completed it when
 * the first write failed and the operation was re-driven from the retry topic.
 */
public record Booking(
        String id, String clientId, String service, String slot, long priceCents, Status status, String redrivenBy) {

    public enum Status {
        CONFIRMED,
        PAID
    }

    public Booking withStatus(Status s) {
        return new Booking(id, clientId, service, slot, priceCents, s, redrivenBy);
    }

    public Booking redrivenBy(String attemptId) {
        return new Booking(id, clientId, service, slot, priceCents, status, attemptId);
    }
}
