package io.faultline.examples.booking.service;

/** A payment for a booking that does not exist: the client's mistake, answered 404, not reported. */
public class UnknownBookingException extends RuntimeException {

    public UnknownBookingException(String id) {
        super("no booking " + id);
    }
}
