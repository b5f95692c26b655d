package io.faultline.dashboard.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Broadcasts feed items to every connected client. Each client has its own bounded buffer that
 * drops its oldest item when full: a slow browser loses history, it never slows the Kafka
 * consumer or the other clients. Publishing only enqueues and wakes the client's writer.
 */
@ApplicationScoped
public class LiveFeed {

    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final ObjectMapper json;
    private final int bufferSize;
    private final Counter dropped;

    @Inject
    public LiveFeed(
            ObjectMapper json,
            MeterRegistry meters,
            @ConfigProperty(name = "faultline.stream.client-buffer", defaultValue = "256") int bufferSize) {
        this.json = json;
        this.bufferSize = bufferSize;
        this.dropped = meters.counter("faultline.dashboard.stream.dropped");
        meters.gaugeCollectionSize("faultline.dashboard.stream.clients", java.util.List.of(), subscriptions);
    }

    /**
     * A new client; {@code wakeup} runs (on the publisher's thread) when its buffer turns
     * non-empty, and must only schedule the draining.
     */
    public Subscription subscribe(Runnable wakeup) {
        Subscription subscription = new Subscription(bufferSize, wakeup, dropped);
        subscriptions.add(subscription);
        return subscription;
    }

    public void unsubscribe(Subscription subscription) {
        subscriptions.remove(subscription);
    }

    public int clients() {
        return subscriptions.size();
    }

    public void publish(FeedEvent event) {
        String frame;
        try {
            // One SSE frame. The event name lets the page listen per kind; it is prefixed because
            // an event named plain "error" would fire the browser's EventSource.onerror.
            frame = "event: faultline." + event.kind() + "\ndata: " + json.writeValueAsString(event) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a FeedEvent always serialises", e);
        }
        for (Subscription subscription : subscriptions) {
            subscription.offer(frame);
        }
    }

    /** One client's buffer of SSE frames. */
    public static final class Subscription {

        private final ArrayDeque<String> frames = new ArrayDeque<>();
        private final int capacity;
        private final Runnable wakeup;
        private final Counter dropped;
        private final AtomicBoolean drainScheduled = new AtomicBoolean();
        private long droppedHere;

        Subscription(int capacity, Runnable wakeup, Counter dropped) {
            this.capacity = capacity;
            this.wakeup = wakeup;
            this.dropped = dropped;
        }

        void offer(String frame) {
            synchronized (frames) {
                if (frames.size() == capacity) {
                    frames.pollFirst();
                    droppedHere++;
                    dropped.increment();
                }
                frames.addLast(frame);
            }
            if (drainScheduled.compareAndSet(false, true)) {
                wakeup.run();
            }
        }

        /** Called by the writer before it drains, so an item offered meanwhile wakes it again. */
        public void draining() {
            drainScheduled.set(false);
        }

        /** The oldest buffered frame, or null. */
        public String poll() {
            synchronized (frames) {
                return frames.pollFirst();
            }
        }

        public long dropped() {
            synchronized (frames) {
                return droppedHere;
            }
        }
    }
}
