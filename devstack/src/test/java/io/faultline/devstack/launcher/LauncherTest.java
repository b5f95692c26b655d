package io.faultline.devstack.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.devstack.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's status and down on a stand-in stack. */
class LauncherTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private Process devstack;

    @AfterEach
    void stop() {
        if (devstack != null) {
            devstack.destroyForcibly();
        }
    }

    @Test
    void statusShowsWhatRunsAndHowOftenTheSupervisorRestartedIt() throws Exception {
        int ingestPort = FreePorts.next();
        Launcher launcher = launcher(Map.of(
                "FAULTLINE_SERVICES", "ingest-service",
                "FAULTLINE_INGEST_PORT", Integer.toString(ingestPort),
                "FAULTLINE_KAFKA_PORT", "29092",
                "FAULTLINE_POSTGRES_PORT", "25432"));
        // as the launcher starts it: carrying the home's mark, which status checks
        devstack = new ProcessBuilder("bash", "-c", "while sleep 1; do :; done", StackProcesses.homeMark(home)).start();
        Files.createDirectories(home.resolve("run"));
        Files.writeString(home.resolve("run/devstack.pid"), Long.toString(devstack.pid()));
        Files.writeString(home.resolve("run/devstack.restarts"), "2");
        Files.writeString(home.resolve("run/ingest-service.restarts"), "5");

        int status = launcher.status();

        assertThat(status).isZero();
        assertThat(said())
                .isEqualTo(String.format(
                        "supervisor           stopped%n"
                                + "devstack             running  pid %-7s kafka :29092  postgres :25432  restarts=2%n"
                                + "ingest-service       stopped                         restarts=5%n",
                        devstack.pid()));
    }

    @Test
    void statusListsEveryInstanceOfTheStacksPlan() throws Exception {
        int ingestPort = FreePorts.next();
        Map<String, String> env = Map.of(
                "FAULTLINE_SERVICES", "ingest-service",
                "FAULTLINE_INGEST_PORT", Integer.toString(ingestPort),
                "FAULTLINE_REPLICAS", "2");
        Launcher launcher = launcher(env);
        StackPlan.write(launcher.settings(), launcher.settings().stack(Secrets.ensure(home.resolve("secrets.env"))));
        // the second instance runs, as the supervisor started it
        devstack = new ProcessBuilder("bash", "-c", "while sleep 1; do :; done", StackProcesses.homeMark(home)).start();
        Files.writeString(home.resolve("run/ingest-service-2.pid"), Long.toString(devstack.pid()));
        Files.writeString(home.resolve("run/ingest-service-2.restarts"), "1");

        // a status without FAULTLINE_REPLICAS: the plan says what the stack runs
        int status = launcher(Map.of("FAULTLINE_INGEST_PORT", Integer.toString(ingestPort)))
                .status();

        assertThat(status).isZero();
        assertThat(said())
                .contains(String.format("ingest-service       stopped                         restarts=0%n"))
                .contains(String.format(
                        "ingest-service-2     running  pid %-7s :%-6s ready=000  restarts=1%n",
                        devstack.pid(), ingestPort + 100));
    }

    @Test
    void statusSaysSoWhenNothingRuns() throws Exception {
        assertThat(launcher(Map.of()).status()).isEqualTo(3);
    }

    @Test
    void downOnAStackThatIsNotThereSaysSo() {
        assertThat(launcher(Map.of()).down()).isZero();
        assertThat(said()).isEqualTo("faultline: nothing runs from " + home + System.lineSeparator());
    }

    private Launcher launcher(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("FAULTLINE_HOME", home.toString());
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        return new Launcher(LauncherSettings.from(Path.of("/repo"), Path.of("/"), all), out, out);
    }

    private String said() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
