package io.faultline.examples.booking.store;

/**
 * A data-access failure as the repository layer reports it, with the driver's exception as cause
 * and, for a write worth re-driving, the payload that repeats it.
 */
public class StoreException extends RuntimeException {

    private final String retryPayload;

    public StoreException(String message, Throwable cause, String retryPayload) {
        super(message, cause);
        this.retryPayload = retryPayload;
    }

    /** @return the payload that repeats the failed write, or null when it is not worth repeating */
    public String retryPayload() {
        return retryPayload;
    }
}
