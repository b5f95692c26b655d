package io.faultline.devstack.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./faultline demo}: the stack with the booking demo's runbooks, which act for real on the
 * demo app, and the app itself reporting to the stack through the Sentry SDK.
 */
final class BookingDemo {

    private final Launcher launcher;
    private final LauncherSettings settings;

    BookingDemo(Launcher launcher) {
        this.launcher = launcher;
        this.settings = launcher.settings();
    }

    int run(boolean detach, boolean traffic) throws IOException, InterruptedException {
        int port = settings.demoPort();
        Path jar = settings.root().resolve("examples/booking-demo/target/quarkus-app/quarkus-run.jar");
        String app = "http://127.0.0.1:" + port;
        if (Launcher.portInUse(port)) {
            throw new LauncherException(
                    "port " + port + " (booking demo) is taken; set FAULTLINE_DEMO_PORT to a free port");
        }
        launcher.ensureModule(jar, "examples/booking-demo", "the booking demo did not build");
        Files.createDirectories(settings.home());
        // the demo runbooks act for real, on this demo app; escalations land in its Slack stand-in
        Path runbooks = settings.home().resolve("demo-runbooks.yaml");
        String shipped = Files.readString(settings.root().resolve("examples/booking-demo/runbooks.yaml"));
        Files.writeString(runbooks, shipped.replace("http://127.0.0.1:8090", app), StandardCharsets.UTF_8);
        Map<String, String> demoSettings = Map.of(
                "FAULTLINE_RUNBOOKS_FILE", runbooks.toString(), "FAULTLINE_SLACK_WEBHOOK_URL", app + "/hooks/slack");
        launcher.up(true, demoSettings);

        Secrets secrets = Secrets.ensure(settings.secretsFile());
        launcher.say("starting the booking demo (:" + port + ", traffic " + traffic + ")");
        List<String> command = new ArrayList<>();
        Launcher.setsid().ifPresent(command::add);
        command.add(Launcher.javaExecutable());
        command.addAll(settings.javaOpts());
        command.addAll(List.of(
                "-Dlauncher.component=" + StackProcesses.BOOKING_DEMO,
                StackProcesses.homeMark(settings.home()),
                "-jar",
                jar.toString()));
        Map<String, String> env = new java.util.LinkedHashMap<>(demoSettings);
        env.putAll(ServiceWiring.bookingDemoEnvironment(settings.stack(secrets), port, traffic));
        Path log = settings.logs().resolve("booking-demo.log");
        Process demo = launcher.startDetached(command, env, log, false);
        Files.writeString(settings.run().resolve("booking-demo.pid"), Long.toString(demo.pid()));
        awaitReady(app, log);
        launcher.appendToStackEnv("BOOKING_DEMO_URL=" + app);
        System.out.print(guide(app, traffic, secrets));
        if (detach) {
            launcher.say("detached; './faultline down' stops the demo and the stack");
            return 0;
        }
        try (Interrupts ignored = Interrupts.onInterrupt(() -> {
            System.out.println();
            launcher.processes().stop();
            launcher.say("stopped");
            return 0;
        })) {
            launcher.say("running; Ctrl-C stops everything");
            while (!launcher.processes().running().isEmpty()) {
                Thread.sleep(1000);
            }
            launcher.processes().stop();
        }
        return 0;
    }

    private void awaitReady(String app, Path log) throws InterruptedException {
        java.time.Instant deadline = java.time.Instant.now().plus(Launcher.START_DEADLINE);
        while (java.time.Instant.now().isBefore(deadline)) {
            if (launcher.httpStatus(app + "/q/health/ready").equals("200")) {
                return;
            }
            if (launcher.processes().process(StackProcesses.BOOKING_DEMO).isEmpty()) {
                launcher.tail(log, 30);
                throw new LauncherException("the booking demo exited");
            }
            Thread.sleep(500);
        }
        throw new LauncherException(
                "the booking demo is not ready after " + Launcher.START_DEADLINE.toSeconds() + " s (log: " + log + ")");
    }

    private String guide(String app, boolean traffic, Secrets secrets) {
        return "\nThe booking demo runs at " + app + " and reports to Faultline through the Sentry Java SDK"
                + (traffic ? ", with its own traffic (4 requests per endpoint per second)" : "") + ".\n"
                + "Break it and watch Faultline fix it (the dashboard's resolution timeline, or the commands below):\n"
                + "  curl -X POST '" + app + "/admin/faults/database-connection-drop?seconds=2'"
                + "  # bookings fail; re-driven from the retry topic\n"
                + "  curl -X POST " + app + "/admin/faults/payment-circuit-stuck-open"
                + "           # payments refused; the breaker gets reset\n"
                + "  curl -X POST " + app + "/admin/faults/slow-availability"
                + "                    # availability times out; served from cache\n"
                + "  curl -X POST " + app + "/admin/faults/client-profile-bug"
                + "                   # a real bug: escalated to the Slack stand-in\n"
                + "  curl " + app + "/admin/stats                  # what the remediations did\n"
                + "  curl " + app + "/admin/notifications          # what was escalated\n"
                + "  curl -X POST " + app + "/admin/faults/reset   # heal everything\n"
                + "  curl -H 'Authorization: Bearer " + secrets.adminToken() + "' "
                + settings.url(ServiceWiring.DASHBOARD) + "/api/v1/resolutions\n"
                + "Runbooks: " + settings.home().resolve("demo-runbooks.yaml")
                + " (from examples/booking-demo/runbooks.yaml)\n\n";
    }
}
