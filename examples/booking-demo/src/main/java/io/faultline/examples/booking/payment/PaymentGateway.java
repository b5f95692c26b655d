package io.faultline.examples.booking.payment;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The card processor, reached through a circuit breaker. The processor itself is simulated and
 * healthy; what fails in the demo is the breaker in front of it.
 */
@ApplicationScoped
public class PaymentGateway {

    public static final String BREAKER = "payment-gateway";

    private final CircuitBreaker breaker;

    public PaymentGateway(
            @ConfigProperty(name = "booking.payment.breaker-open-for", defaultValue = "1h") Duration openFor) {
        this.breaker = new CircuitBreaker(BREAKER, 5, openFor, Clock.systemUTC());
    }

    /** @return the processor's charge id */
    public String charge(String bookingId, long amountCents) {
        try {
            return breaker.call(
                    () -> "ch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));
        } catch (Exception e) {
            throw new PaymentGatewayException(
                    "charging " + amountCents + " cents for booking " + bookingId + " failed: " + e.getMessage(), e);
        }
    }

    public CircuitBreaker breaker() {
        return breaker;
    }
}
