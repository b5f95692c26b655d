package io.faultline.ingest.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faultline.ingest.protection.BufferBudget;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class IntakeGateTest {

    private final BufferBudget budget = new BufferBudget(1 << 20);
    private final IntakeGate gate = new IntakeGate(null, null, budget, null, null, null);

    @Test
    void aLeaseIsReturnedWhateverTheWorkThrowsAnErrorIncluded() {
        assertThatThrownBy(() -> gate.withLease(lease -> {
                    lease.take(1000);
                    throw new OutOfMemoryError("simulated: decoding ran the heap out");
                }))
                .isInstanceOf(OutOfMemoryError.class);
        assertThat(budget.used()).isZero();

        assertThatThrownBy(() -> gate.withLease(lease -> {
                    lease.take(1000);
                    throw new IllegalStateException("a bug");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(budget.used()).isZero();
    }

    @Test
    void aLeaseIsHeldUntilTheAnswerCompletesHoweverItCompletes() {
        CompletableFuture<String> answer = new CompletableFuture<>();
        gate.withLease(lease -> {
            lease.take(1000);
            return answer;
        });
        assertThat(budget.used()).isEqualTo(1000);
        answer.completeExceptionally(new StackOverflowError("simulated"));
        assertThat(budget.used()).isZero();
    }
}
