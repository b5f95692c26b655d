package io.faultline.classifier.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether the classifier classifies. Quarkus's own checks report the topics (readiness) and
 * RUNNING-or-REBALANCING (liveness); neither noticed a client whose stream threads had stopped while
 * the topics were there, so the instance stayed ready, and nothing restarted it, while every event
 * since waited unclassified. Here: not live once the client is stopping or stopped (ERROR,
 * PENDING_ERROR, NOT_RUNNING, PENDING_SHUTDOWN) or has no stream thread left, so the supervisor
 * restarts it; ready only once its threads run and hold their tasks (RUNNING, after the first
 * rebalance and the stores' restoration), and no longer once it is not live.
 */
@ApplicationScoped
public class StreamsHealth {

    private static final String NAME = "Classifier stream threads";

    @Inject
    KafkaStreams streams;

    @Inject
    StreamsStateTracker tracker;

    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        @Inject
        StreamsHealth health;

        @Override
        public HealthCheckResponse call() {
            return health.respond(true);
        }
    }

    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        @Inject
        StreamsHealth health;

        @Override
        public HealthCheckResponse call() {
            return health.respond(false);
        }
    }

    HealthCheckResponse respond(boolean liveness) {
        KafkaStreams.State state = streams.state();
        List<String> threads = threadStates();
        boolean up = liveness ? live(state, threads) : ready(state, threads, tracker.hasRun());
        return HealthCheckResponse.named(NAME)
                .status(up)
                .withData("state", state.name())
                .withData("threads", String.join(",", threads))
                .build();
    }

    private List<String> threadStates() {
        try {
            return streams.metadataForLocalThreads().stream()
                    .map(ThreadMetadata::threadState)
                    .toList();
        } catch (RuntimeException e) {
            return List.of(); // not started yet
        }
    }

    /** Still starting, or running with at least one stream thread that is not stopping. */
    static boolean live(KafkaStreams.State state, List<String> threadStates) {
        return switch (state) {
            case CREATED -> true;
            case REBALANCING, RUNNING -> threadStates.stream().anyMatch(StreamsHealth::working);
            case PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR, ERROR -> false;
        };
    }

    static boolean ready(KafkaStreams.State state, List<String> threadStates, boolean hasRun) {
        return live(state, threadStates)
                && (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING && hasRun);
    }

    private static boolean working(String threadState) {
        return !threadState.equals("PENDING_SHUTDOWN") && !threadState.equals("DEAD");
    }
}
