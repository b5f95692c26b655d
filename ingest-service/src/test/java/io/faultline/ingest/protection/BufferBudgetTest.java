package io.faultline.ingest.protection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faultline.ingest.rest.BodyDecoder;
import io.faultline.ingest.service.IngestProblem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BufferBudgetTest {

    private static final int KB = 1024;

    @Test
    void requestsTogetherGet503PastTheBudgetAndEverythingComesBackOnClose() {
        BufferBudget budget = new BufferBudget(100 * KB);
        BufferBudget.Lease first = budget.lease();
        first.take(70 * KB);
        try (BufferBudget.Lease second = budget.lease()) {
            assertThatThrownBy(() -> second.take(40 * KB))
                    .isInstanceOfSatisfying(
                            IngestProblem.class, p -> assertThat(p.status()).isEqualTo(503));
            assertThat(budget.used()).as("a refused take holds nothing").isEqualTo(70 * KB);
            second.take(30 * KB);
        }
        first.close();
        first.close();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aBodyThatCannotFitAloneIs413NamingTheLimit() {
        BufferBudget budget = new BufferBudget(100 * KB);
        try (BufferBudget.Lease lease = budget.lease()) {
            lease.take(60 * KB);
            assertThatThrownBy(() -> lease.take(41 * KB)).isInstanceOfSatisfying(IngestProblem.class, p -> {
                assertThat(p.status()).isEqualTo(413);
                assertThat(p.getMessage()).contains("max-buffered-bytes");
            });
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void theDecoderChargesTheDecodedBytesAndTheirCopy() throws IOException {
        byte[] plain = new byte[40 * KB];
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(plain);
        }
        BodyDecoder decoder = new BodyDecoder(BodyDecoder.MAX_COMPRESSED, BodyDecoder.MAX_DECODED);

        BufferBudget roomy = new BufferBudget(100 * KB);
        try (BufferBudget.Lease lease = roomy.lease()) {
            assertThat(decoder.decode(new ByteArrayInputStream(zipped.toByteArray()), "gzip", n -> {}, lease))
                    .hasSize(40 * KB);
            // the read and its copy at least, charged block by block as the decoder allocates them
            assertThat(roomy.used()).as("read + copy").isBetween(80L * KB, 128L * KB);
        }
        assertThat(roomy.used()).isZero();

        // a small gzip that inflates past what this ingest may buffer is refused while inflating
        BufferBudget tight = new BufferBudget(64 * KB);
        try (BufferBudget.Lease lease = tight.lease()) {
            assertThatThrownBy(() ->
                            decoder.decode(new ByteArrayInputStream(zipped.toByteArray()), "gzip", n -> {}, lease))
                    .isInstanceOfSatisfying(
                            IngestProblem.class, p -> assertThat(p.status()).isEqualTo(413));
        }
        assertThat(tight.used()).isZero();
    }
}
