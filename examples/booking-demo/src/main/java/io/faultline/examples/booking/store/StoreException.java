package io.faultline.examples.booking.store;

/**
 * A data-access failure as the repository layer reports it, with the driver's exception as cause
 * and, for a write worth re-driving, the payload that repeats it.
 */
public class StoreException extends RuntimeException {

    private final String retryPayload;
    private final String reference;

    public StoreException(String message, Throwable cause, String retryPayload, String reference) {
        super(message, cause);
        this.retryPayload = retryPayload;
        this.reference = reference;
    }

    /** @return the id under which the failed write was parked for a re-drive, or null */
    public String reference() {
        return reference;
    }

    /** @return the payload that repeats the failed write, or null when it is not worth repeating */
    public String retryPayload() {
        return retryPayload;
    }
}
