package io.faultline.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.devstack.KafkaTestClient;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The broker is stopped while clients post events, then started again. Clients meet 503 with
 * Retry-After while it is away, never a 2xx for an event that was not stored; and every event
 * that was answered 2xx is on the raw topic afterwards, counted by id.
 */
@QuarkusTest
@TestProfile(OwnBrokerProfile.class)
class BrokerOutageTest {

    private static final int CLIENTS = 8;

    @TestHTTPResource("/api/v1/projects/1/events")
    URI events;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger unavailable = new AtomicInteger();
    private final Map<String, String> unexpected = new ConcurrentHashMap<>();

    @Test
    void acknowledgedEventsSurviveABrokerRestartAndTheOthersAre503() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int i = 0; i < CLIENTS; i++) {
            // half the clients post single events, half NDJSON batches (acknowledged as a whole)
            int eventsPerRequest = i % 2 == 0 ? 1 : 5;
            clients.submit(() -> {
                while (running.get()) {
                    post(eventsPerRequest);
                }
                return null;
            });
        }
        try {
            awaitUntil(() -> acknowledged.size() >= 200, "200 events acknowledged before the outage");
            RestartableKafkaResource.stopBroker();
            int ackedWhenStopped = acknowledged.size();
            awaitUntil(() -> unavailable.get() >= 2 * CLIENTS, "clients answered 503 while the broker is away");
            // while the broker is away nothing is acknowledged (a few answers may have been in flight)
            int ackedDuringOutage = acknowledged.size();
            RestartableKafkaResource.restartBroker();
            awaitUntil(
                    () -> acknowledged.size() >= ackedDuringOutage + 200,
                    "200 more events acknowledged once the broker is back");
            // (at most one request per client, a batch counting its 5 events)
            assertThat(ackedDuringOutage - ackedWhenStopped).isLessThanOrEqualTo(CLIENTS * 5);
        } finally {
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(unexpected)
                .as("answers other than 202 and 503 with Retry-After")
                .isEmpty();
        assertThat(unavailable.get()).isGreaterThanOrEqualTo(2 * CLIENTS);
        Set<String> stored = storedIds();
        org.jboss.logging.Logger.getLogger(BrokerOutageTest.class)
                .infof(
                        "broker restart under load: %d events acknowledged, %d answered 503, %d records on the topic",
                        acknowledged.size(), unavailable.get(), stored.size());
        assertThat(acknowledged).isNotEmpty();
        assertThat(acknowledged.stream().filter(id -> !stored.contains(id)).toList())
                .as("acknowledged events missing from " + Topics.EVENTS_RAW.name())
                .isEmpty();
    }

    private void post(int eventsPerRequest) {
        List<String> ids = new java.util.ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < eventsPerRequest; i++) {
            String id = UUID.randomUUID().toString().replace("-", "");
            ids.add(id);
            body.append("{\"event_id\":\"")
                    .append(id)
                    .append("\",\"level\":\"error\",\"message\":\"posted during a broker restart\"}\n");
        }
        HttpRequest request = HttpRequest.newBuilder(events)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer test-project-key")
                .header("Content-Type", eventsPerRequest == 1 ? "application/json" : "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 202) {
                acknowledged.addAll(ids);
            } else if (response.statusCode() == 503
                    && response.headers().firstValue("Retry-After").isPresent()) {
                unavailable.incrementAndGet();
            } else {
                unexpected.put(ids.get(0), response.statusCode() + " " + response.body());
            }
        } catch (Exception e) {
            unexpected.put(ids.get(0), e.toString());
        }
    }

    private Set<String> storedIds() {
        KafkaTestClient topic =
                new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        List<String> read = topic
                .readUntil(
                        Topics.EVENTS_RAW.name(),
                        records -> records.stream()
                                .map(BrokerOutageTest::eventId)
                                .collect(Collectors.toSet())
                                .containsAll(acknowledged),
                        Duration.ofSeconds(60))
                .stream()
                .map(BrokerOutageTest::eventId)
                .toList();
        return Set.copyOf(read);
    }

    /** Raw records are keyed by project: the event's id is in the value. */
    private static String eventId(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> r) {
        return Topics.EVENTS_RAW
                .valueSerde()
                .deserializer()
                .deserialize(r.topic(), r.value())
                .getEventId();
    }

    private void awaitUntil(BooleanSupplier condition, String what) {
        Awaitility.await(what)
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !unexpected.isEmpty() || condition.getAsBoolean());
        assertThat(unexpected)
                .as("answers other than 202 and 503 with Retry-After")
                .isEmpty();
    }
}
