package io.faultline.dashboard.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LiveFeedTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final LiveFeed feed = new LiveFeed(new ObjectMapper(), meters, 3);

    private static FeedEvent error(String title) {
        return new FeedEvent("error", "error", 1L, "1", "g", title, "high", null, null, null, null, null, List.of());
    }

    private static List<String> drain(LiveFeed.Subscription subscription) {
        subscription.draining();
        List<String> frames = new ArrayList<>();
        for (String frame = subscription.poll(); frame != null; frame = subscription.poll()) {
            frames.add(frame);
        }
        return frames;
    }

    @Test
    void aFullClientBufferDropsItsOldestFramesAndNobodyElses() {
        LiveFeed.Subscription slow = feed.subscribe(() -> {});
        LiveFeed.Subscription fast = feed.subscribe(() -> {});

        for (int i = 1; i <= 5; i++) {
            feed.publish(error("e" + i));
            if (i <= 3) {
                assertThat(drain(fast)).hasSize(1);
            }
        }

        List<String> frames = drain(slow);
        assertThat(frames).hasSize(3);
        assertThat(frames.get(0)).contains("\"title\":\"e3\"");
        assertThat(frames.get(2))
                .startsWith("event: faultline.error\ndata: {")
                .contains("\"title\":\"e5\"")
                .endsWith("\n\n");
        assertThat(slow.dropped()).isEqualTo(2);
        assertThat(drain(fast)).hasSize(2);
        assertThat(fast.dropped()).isZero();
        assertThat(meters.counter("faultline.dashboard.stream.dropped").count()).isEqualTo(2);
    }

    @Test
    void theWriterIsWokenOncePerBurstNotPerFrame() {
        AtomicInteger wakeups = new AtomicInteger();
        LiveFeed.Subscription subscription = feed.subscribe(wakeups::incrementAndGet);

        feed.publish(error("a"));
        feed.publish(error("b"));
        assertThat(wakeups).hasValue(1);

        drain(subscription);
        feed.publish(error("c"));
        assertThat(wakeups).hasValue(2);
    }

    @Test
    void anUnsubscribedClientGetsNothing() {
        LiveFeed.Subscription subscription = feed.subscribe(() -> {});
        feed.unsubscribe(subscription);

        feed.publish(error("a"));

        assertThat(subscription.poll()).isNull();
        assertThat(feed.clients()).isZero();
    }
}
