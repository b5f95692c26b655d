package io.faultline.examples.booking.payment;

/** A payment that could not be charged through the gateway. */
public class PaymentGatewayException extends RuntimeException {

    public PaymentGatewayException(String message, Throwable cause) {
        super(message, cause);
    }
}
