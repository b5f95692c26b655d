package io.faultline.classifier.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.faultline.classifier.rates.ErrorRates;
import io.faultline.classifier.rates.RateOwners;
import io.faultline.classifier.rates.RateQueries;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With several classifier instances each key's rates live on one of them: the resource asks that
 * one, and a group's holder is found by asking the others, each only about its own stores.
 */
class RateResourceTest {

    /** The other instance: holds group g-remote and project 7, answers 404 for anything else. */
    private HttpServer other;

    private final List<String> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", exchange -> {
            String uri = exchange.getRequestURI().toString();
            asked.add(uri);
            boolean held =
                    uri.startsWith("/api/v1/rates/groups/g-remote?") || uri.startsWith("/api/v1/rates/projects/7");
            byte[] body =
                    (held ? "{\"dimension\":\"remote\"}" : "{\"error\":\"not held\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(held ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        other.start();
    }

    @AfterEach
    void stop() {
        other.stop(0);
    }

    private HostInfo otherHost() {
        return new HostInfo("127.0.0.1", other.getAddress().getPort());
    }

    /** This instance: holds g-local and project 1; project 7 belongs to the other instance. */
    private RateResource resource() {
        RateOwners owners = new RateOwners() {
            @Override
            public boolean holdsGroup(String groupId) {
                return groupId.equals("g-local");
            }

            @Override
            public Optional<HostInfo> ownerOfScope(String scope) {
                return scope.startsWith("7") ? Optional.of(otherHost()) : Optional.empty();
            }

            @Override
            public List<HostInfo> others() {
                return List.of(otherHost());
            }
        };
        return new RateResource(
                new RateQueries(name -> emptyStore(), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)),
                owners,
                HttpClient.newHttpClient());
    }

    @SuppressWarnings("unchecked")
    private static ReadOnlyWindowStore<String, Long> emptyStore() {
        return (ReadOnlyWindowStore<String, Long>) Proxy.newProxyInstance(
                RateResourceTest.class.getClassLoader(),
                new Class<?>[] {ReadOnlyWindowStore.class},
                (proxy, method, args) -> null);
    }

    @Test
    void aGroupHeldByAnotherInstanceIsAnsweredByIt() {
        Response response = resource().group("g-remote", false);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getEntity()).isEqualTo("{\"dimension\":\"remote\"}");
        assertThat(asked).containsExactly("/api/v1/rates/groups/g-remote?local=true");
    }

    @Test
    void aGroupHeldHereIsAnsweredHereAndOneHeldNowhereIsZero() {
        Response here = resource().group("g-local", false);
        assertThat(((ErrorRates) here.getEntity()).dimension()).isEqualTo("group");
        assertThat(asked).isEmpty();

        Response nowhere = resource().group("g-unknown", false);
        assertThat(nowhere.getStatus()).isEqualTo(200);
        assertThat(((ErrorRates) nowhere.getEntity()).windows()).allMatch(w -> w.count() == 0);
        assertThat(asked).containsExactly("/api/v1/rates/groups/g-unknown?local=true");
    }

    @Test
    void askedOnlyAboutItsOwnStoresAnInstanceSaysWhenItDoesNotHoldAGroup() {
        assertThat(resource().group("g-remote", true).getStatus()).isEqualTo(404);
        assertThat(asked).isEmpty();
    }

    @Test
    void aProjectAndItsWorkflowsAreAnsweredByTheInstanceOfTheProjectsPartition() {
        assertThat(resource().project("7", false).getEntity()).isEqualTo("{\"dimension\":\"remote\"}");
        assertThat(resource().workflow("7", "check out", false).getStatus()).isEqualTo(200);
        assertThat(asked)
                .containsExactly(
                        "/api/v1/rates/projects/7?local=true",
                        "/api/v1/rates/projects/7/workflows/check%20out?local=true");

        assertThat(((ErrorRates) resource().project("1", false).getEntity()).key())
                .isEqualTo("1");
    }

    @Test
    void anOwnerThatDoesNotAnswerIsA503WithRetryAfter() {
        other.stop(0);
        Response response = resource().project("7", false);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
    }
}
