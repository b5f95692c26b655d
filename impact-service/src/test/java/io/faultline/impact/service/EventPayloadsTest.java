package io.faultline.impact.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faultline.impact.ImpactFixtures;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.serde.Serdes;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EventPayloadsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private static ClassifiedError bare(int i) {
        return ImpactFixtures.error(
                "p", ImpactFixtures.eventId("payload", i), "g", T0, "/x", null, "high", "operational");
    }

    @Test
    void anEventComesBackWholeFromItsStoredBytes() {
        ErrorEvent rich =
                ImpactFixtures.rich(bare(1), "<script>alert(1)</script>").getEvent();

        EventPayloads.Payload stored = EventPayloads.encode(rich);

        assertThat(EventPayloads.decode(stored.bytes())).isEqualTo(rich);
    }

    @Test
    void theStoredBytesAreSmallerThanTheTopicsEncoding() {
        for (ErrorEvent e : new ErrorEvent[] {
            ImpactFixtures.sample(bare(2), 2).getEvent(),
            ImpactFixtures.rich(bare(3), "timeout").getEvent()
        }) {
            int avro = new Serdes.ErrorEventSerde().serialize(null, e).length;
            int stored = EventPayloads.encode(e).bytes().length;
            System.out.printf("event payload: %d Avro bytes, %d stored%n", avro, stored);
            assertThat(stored).isLessThan(avro);
        }
    }

    @Test
    void theRicherEventRanksHigher() {
        short bare = EventPayloads.encode(bare(4).getEvent()).completeness();
        short sample = EventPayloads.encode(ImpactFixtures.sample(bare(4), 4).getEvent())
                .completeness();
        short rich = EventPayloads.encode(ImpactFixtures.rich(bare(4), "x").getEvent())
                .completeness();

        assertThat(bare).isLessThan(sample);
        assertThat(sample).isLessThan(rich);
    }

    @Test
    void damagedBytesAreRefusedNotMisread() {
        byte[] stored = EventPayloads.encode(ImpactFixtures.sample(bare(5), 5).getEvent())
                .bytes();

        assertThatThrownBy(() -> EventPayloads.decode(Arrays.copyOf(stored, stored.length / 2)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
