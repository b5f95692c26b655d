package io.faultline.devstack.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceWiringTest {

    private static final Secrets SECRETS = new Secrets("1", "key1", "token1", "admin", "pw1", "session1");

    @TempDir
    Path home;

    @Test
    void eachServiceHasItsOwnPortAndVariable() {
        assertThat(Arrays.stream(ServiceWiring.values()).map(ServiceWiring::defaultPort))
                .doesNotHaveDuplicates();
        assertThat(Arrays.stream(ServiceWiring.values()).map(ServiceWiring::portVariable))
                .doesNotHaveDuplicates()
                .allMatch(v -> v.startsWith("FAULTLINE_") && v.endsWith("_PORT"));
        assertThat(ServiceWiring.named("ingest-service")).contains(ServiceWiring.INGEST);
        assertThat(ServiceWiring.INGEST.jar(Path.of("/repo")))
                .isEqualTo(Path.of("/repo/ingest-service/target/quarkus-app/quarkus-run.jar"));
    }

    @Test
    void everyServiceListensOnItsPortAndReachesTheBroker() {
        ServiceWiring.Stack stack = stack(Map.of());
        for (ServiceWiring service : ServiceWiring.values()) {
            Map<String, String> env = service.environment(stack);
            assertThat(env)
                    .as(service.serviceName())
                    .containsEntry("QUARKUS_HTTP_PORT", Integer.toString(stack.port(service)))
                    .containsEntry("QUARKUS_HTTP_HOST", "127.0.0.1")
                    .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:29092");
        }
    }

    @Test
    void eachServiceGetsWhatOnlyItNeeds() {
        ServiceWiring.Stack stack = stack(Map.of());
        assertThat(ServiceWiring.IMPACT.environment(stack))
                .containsEntry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:25432/faultline")
                .containsEntry("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:25432/faultline")
                // an alert's message links to the group's page on this stack's dashboard
                .containsEntry(
                        "FAULTLINE_ALERTS_DASHBOARD_URL",
                        "http://" + stack.bind() + ":" + stack.port(ServiceWiring.DASHBOARD))
                .doesNotContainKey("FAULTLINE_ADMIN_TOKEN");
        assertThat(ServiceWiring.CLASSIFIER.environment(stack))
                .containsEntry("KAFKA_STREAMS_STATE_DIR", home + "/classifier/streams")
                .containsEntry("QUARKUS_KAFKA_STREAMS_BOOTSTRAP_SERVERS", "127.0.0.1:29092");
        assertThat(ServiceWiring.RESOLVER.environment(stack))
                .containsEntry("FAULTLINE_STATE_DIR", home + "/resolver")
                .containsEntry("FAULTLINE_ADMIN_TOKEN", "token1");
        assertThat(ServiceWiring.INGEST.environment(stack))
                .containsEntry("FAULTLINE_DEFAULT_PROJECT_KEY", "key1")
                .doesNotContainKey("FAULTLINE_ADMIN_PASSWORD");
        assertThat(ServiceWiring.DASHBOARD.environment(stack))
                .containsEntry("FAULTLINE_ADMIN_PASSWORD", "pw1")
                .containsEntry("FAULTLINE_SESSION_SECRET", "session1")
                .containsEntry("FAULTLINE_INGEST_PUBLIC_URL", "http://127.0.0.1:18081")
                .containsEntry("FAULTLINE_IMPACT_URL", "http://127.0.0.1:18084");
    }

    @Test
    void thePlanRunsEachServiceWithItsWiring() throws IOException {
        LauncherSettings settings = settings(Map.of("FAULTLINE_SERVICES", "impact-service ingest-service"));
        StackPlan.write(settings, stack(Map.of("FAULTLINE_SERVICES", "impact-service ingest-service")));

        StackPlan plan = StackPlan.read(home);
        assertThat(plan.components())
                .extracting(StackPlan.Component::name)
                .containsExactly("devstack", "impact-service", "ingest-service");
        assertThat(plan.components().get(0).readyFile()).contains(home.resolve("run/devstack.ready"));
        assertThat(plan.components().get(2).liveUrl())
                .isEqualTo(Optional.of(URI.create("http://127.0.0.1:18081/q/health/live")));
        String ingest = Files.readString(home.resolve("run/plan/ingest-service.sh"));
        ServiceWiring.INGEST.environment(settingsStack(settings)).forEach((k, v) -> assertThat(ingest)
                .contains(k + "=" + v));
        assertThat(ingest).contains(StackProcesses.homeMark(home)).endsWith("/quarkus-run.jar\n");
        assertThat(Files.readString(home.resolve("run/plan/devstack.sh")))
                .contains("--kafka-port 29092", "--postgres-port 25432", "-XX:TieredStopAtLevel=1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("run/plan"))))
                .isEqualTo("rwx------");
    }

    @Test
    void aSecondInstanceHasItsOwnPortStoresJournalAndAddressOnTheSameBrokerAndDatabase() {
        ServiceWiring.Stack stack = stack(Map.of());
        for (ServiceWiring service : ServiceWiring.values()) {
            Map<String, String> first = service.environment(stack, 1);
            Map<String, String> second = service.environment(stack, 2);
            assertThat(first).as(service.serviceName()).isEqualTo(service.environment(stack));
            assertThat(second)
                    .as(service.serviceName())
                    .containsEntry("QUARKUS_HTTP_PORT", Integer.toString(stack.port(service) + 100))
                    .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:29092");
            assertThat(service.instanceName(2)).isEqualTo(service.serviceName() + "-2");
        }
        // Kafka Streams locks its state directory; a second classifier on the first's never runs
        assertThat(ServiceWiring.CLASSIFIER.environment(stack, 2))
                .containsEntry("KAFKA_STREAMS_STATE_DIR", home + "/classifier-2/streams")
                // a rate query another instance holds the key of is forwarded to this address
                .containsEntry(
                        "FAULTLINE_CLASSIFIER_ADDRESS", "127.0.0.1:" + (stack.port(ServiceWiring.CLASSIFIER) + 100));
        assertThat(ServiceWiring.CLASSIFIER.environment(stack, 1))
                .containsEntry("FAULTLINE_CLASSIFIER_ADDRESS", "127.0.0.1:" + stack.port(ServiceWiring.CLASSIFIER));
        assertThat(ServiceWiring.RESOLVER.environment(stack, 2))
                .containsEntry("FAULTLINE_STATE_DIR", home + "/resolver-2");
        // the same database and the same first impact-service for every dashboard
        assertThat(ServiceWiring.IMPACT.environment(stack, 2))
                .containsEntry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:25432/faultline");
        assertThat(ServiceWiring.DASHBOARD.environment(stack, 2))
                .containsEntry("FAULTLINE_IMPACT_URL", "http://127.0.0.1:18084");
    }

    @Test
    void aPlanWithTwoReplicasRunsEveryInstanceAndStopFindsThem() throws IOException {
        LauncherSettings settings =
                settings(Map.of("FAULTLINE_SERVICES", "impact-service ingest-service", "FAULTLINE_REPLICAS", "2"));
        StackPlan.write(settings, settingsStack(settings));

        StackPlan plan = StackPlan.read(home);
        assertThat(plan.components())
                .extracting(StackPlan.Component::name)
                .containsExactly(
                        "devstack", "impact-service", "impact-service-2", "ingest-service", "ingest-service-2");
        assertThat(plan.components().get(4).liveUrl())
                .isEqualTo(Optional.of(URI.create("http://127.0.0.1:18181/q/health/live")));
        String second = Files.readString(home.resolve("run/plan/ingest-service-2.sh"));
        assertThat(second).contains("QUARKUS_HTTP_PORT=18181", "-Dlauncher.component=ingest-service-2");
        // down and status look for every instance's pid file
        assertThat(StackProcesses.components()).contains("ingest-service-2", "classifier-service-2");
    }

    /** The plan's values come from the operator's environment: bash must read each back unchanged. */
    @Test
    void aQuotedWordReachesBashUnchanged() throws Exception {
        for (String word : List.of("plain", "two words", "it's", "$HOME", "a\"b", "lib/*", "`x`", "")) {
            Process echo = new ProcessBuilder("bash", "-c", "printf %s " + StackPlan.shellQuoted(word)).start();
            String back = new String(echo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(echo.waitFor()).isZero();
            assertThat(back).as(word).isEqualTo(word);
        }
    }

    @Test
    void secretsAreMadeOnceOwnerOnlyAndCompletedForOlderHomes() throws IOException {
        Path file = home.resolve("secrets.env");
        Secrets first = Secrets.ensure(file);
        assertThat(first.projectKey()).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Secrets.ensure(file)).isEqualTo(first);

        Path older = home.resolve("older.env");
        Files.writeString(older, "PROJECT_ID=1\nPROJECT_KEY=abc\nADMIN_TOKEN=tok\n");
        Secrets completed = Secrets.ensure(older);
        assertThat(completed.projectKey()).isEqualTo("abc");
        assertThat(completed.adminUser()).isEqualTo("admin");
        assertThat(completed.adminPassword()).hasSize(32);
        assertThat(completed.sessionSecret()).hasSize(64);
        assertThat(completed.dsn("127.0.0.1", 8081)).isEqualTo("http://abc@127.0.0.1:8081/1");
    }

    private LauncherSettings settings(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "FAULTLINE_HOME", home.toString(),
                "FAULTLINE_KAFKA_PORT", "29092",
                "FAULTLINE_POSTGRES_PORT", "25432",
                "FAULTLINE_INGEST_PORT", "18081",
                "FAULTLINE_IMPACT_PORT", "18084"));
        env.putAll(extra);
        return LauncherSettings.from(Path.of("/repo"), Path.of("/"), env);
    }

    private ServiceWiring.Stack stack(Map<String, String> extra) {
        return settingsStack(settings(extra));
    }

    private static ServiceWiring.Stack settingsStack(LauncherSettings s) {
        return s.stack(SECRETS);
    }
}
