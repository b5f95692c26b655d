package io.faultline.examples.booking.availability;

/** The calendar service (the dependency behind availability) did not answer in time. */
public class CalendarServiceException extends RuntimeException {

    public CalendarServiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
