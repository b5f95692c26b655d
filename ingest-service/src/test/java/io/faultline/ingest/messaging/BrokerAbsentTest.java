package io.faultline.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * A fresh ingest whose broker is down (issue #24): the producers never learned the topics, so each
 * write waits max.block.ms for their metadata. Every path must still answer 503 with Retry-After
 * in time, whatever the number of events or items in the request.
 */
@QuarkusTest
@TestProfile(NoBrokerProfile.class)
class BrokerAbsentTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyPathAnswers503InTimeWhateverTheBatchSize() {
        assertThat(new BrokerDownAnswers(base).everyPath()).isEmpty();
    }
}
