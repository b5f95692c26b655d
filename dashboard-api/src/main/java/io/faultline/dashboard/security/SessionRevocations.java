package io.faultline.dashboard.security;

import io.faultline.schemas.topics.KafkaConnection;
import io.faultline.schemas.topics.TopicFollower;
import io.faultline.schemas.topics.Topics;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The sessions ended by a logout. A session cookie is signed, not stored, so without this list a
 * copied cookie would stay valid for its whole lifetime after its user logged out. A logout
 * writes the session's id to the compacted topic {@code faultline.sessions.revoked.v1} and
 * refuses the session here at once; every instance reads the topic whole at start and follows
 * it (no consumer group), so the cookie is refused by every replica within a poll (half a
 * second). An entry is dropped from memory once its session has expired anyway. The instance is
 * not ready ({@link SessionRevocationsReadiness}) until it has read the topic to the end, nor once
 * the follower has stopped: a pod that does not know the logouts gets no traffic.
 */
@Startup
@ApplicationScoped
public class SessionRevocations {

    private static final Logger LOG = Logger.getLogger(SessionRevocations.class);

    private final Map<String, Object> kafka;
    private final Clock clock = Clock.systemUTC();
    /** Session id → its expiry. */
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

    private KafkaProducer<String, String> producer;
    private TopicFollower<String> follower;
    private Instant pruned = Instant.EPOCH;

    @Inject
    public SessionRevocations(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.kafka = kafka;
    }

    @PostConstruct
    void start() {
        producer = new KafkaProducer<>(
                KafkaConnection.acknowledgedWrites(kafka, "faultline-dashboard-sessions", Duration.ofSeconds(10)),
                new StringSerializer(),
                new StringSerializer());
        follower = new TopicFollower<>(
                        Topics.SESSIONS_REVOKED,
                        new StringDeserializer(),
                        KafkaConnection.settings(kafka),
                        "faultline-dashboard-sessions",
                        this::apply,
                        this::pruneExpired)
                .start();
    }

    @PreDestroy
    void stop() {
        follower.stop();
        producer.close(Duration.ofSeconds(2));
    }

    /** Whether every logout written before start is known and later ones are still followed. */
    public boolean ready() {
        return follower.caughtUp() && follower.following();
    }

    /** Whether the session was ended by a logout (here or on another instance). */
    public boolean isRevoked(String sessionId) {
        return sessionId != null && revoked.containsKey(sessionId);
    }

    /**
     * Ends the session here at once and, through the topic, on every other instance. A broker
     * that does not take the record within a few seconds leaves the session ended here only: the
     * logout still succeeds for its user, and the failure is logged.
     */
    public void revoke(String sessionId, Instant expires) {
        revoked.put(sessionId, expires);
        try {
            producer.send(new ProducerRecord<>(
                            Topics.SESSIONS_REVOKED.name(), sessionId, Long.toString(expires.getEpochSecond())))
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warnf("logout of session %s not shared with other instances: interrupted", sessionId);
        } catch (Exception e) {
            LOG.warnf("logout of session %s not shared with other instances: %s", sessionId, e.toString());
        }
    }

    /** Once a minute, on the follower's thread: a session past its expiry is refused anyway. */
    private void pruneExpired() {
        Instant now = clock.instant();
        if (now.isAfter(pruned.plusSeconds(60))) {
            revoked.values().removeIf(expires -> expires.isBefore(now));
            pruned = now;
        }
    }

    private void apply(String sessionId, String expires) {
        if (sessionId == null || expires == null) {
            return;
        }
        try {
            Instant until = Instant.ofEpochSecond(Long.parseLong(expires.trim()));
            if (until.isAfter(clock.instant())) {
                revoked.put(sessionId, until);
            }
        } catch (RuntimeException e) {
            LOG.warnf("ignoring a malformed session revocation for %s: %s", sessionId, e.getMessage());
        }
    }
}
