package io.faultline.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * {@code ./faultline drill}: under a steady load of unique events, breaks the local stack one
 * fault at a time (kill -9 of the broker, of PostgreSQL and of each service, SIGTERM of ingest)
 * and lets the supervisor heal it. For each fault it prints how long the stack took to take an
 * event end to end again; at the end, how many acknowledged events the query API does not have.
 *
 * <p>The load behaves like an SDK: a batch that gets no 2xx (503 while the broker is away, a
 * timeout, a refused connection) is sent again with the same event ids, and one acknowledged batch
 * in twenty is sent a second time, as after a response lost on the way back. An event id counts
 * once wherever it arrives twice, so the stored count must equal the distinct acknowledged ids.
 */
public final class Drill {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SERVICES =
            List.of("ingest-service", "classifier-service", "impact-service", "resolver-service", "dashboard-api");
    private static final List<String> ALL_FAULTS = List.of(
            "broker",
            "postgres",
            "impact-service",
            "classifier-service",
            "resolver-service",
            "dashboard-api",
            "ingest-service",
            "ingest-sigterm",
            "disk-full");

    /** The second instance of each service, killed when the stack runs two ({@code --replicas 2}). */
    private static final List<String> SECOND_INSTANCES =
            SERVICES.stream().map(s -> s + "-2").toList();

    /**
     * Set by the launcher: {@code mounted} when the drill's home is a size-limited filesystem of its
     * own that the disk-full fault may fill; otherwise why it is not, and the fault is skipped.
     */
    static final String DISK_VARIABLE = "FAULTLINE_DRILL_DISK";

    private record Outcome(String fault, long pid, double recoverySeconds, boolean recovered, String obstacle) {}

    /** A fault the drill could not inject here, and why (it is reported, never dropped silently). */
    private record Skipped(String fault, String reason) {}

    private final Map<String, String> env;
    private final Path home;
    /** The webhook the drill's runbook calls, or null when the drill runs without one. */
    private final ActionReceiver receiver;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Drill(Map<String, String> env, ActionReceiver receiver) {
        this.env = env;
        this.receiver = receiver;
        this.home = Path.of(env.get("FAULTLINE_HOME"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = BenchArgs.stackEnv(args);
        int rate = BenchArgs.intOption(args, "--rate", 1000);
        int secondsPerFault = BenchArgs.intOption(args, "--seconds-per-fault", 20);
        int recoveryDeadline = BenchArgs.intOption(args, "--recovery-deadline", 90);
        int replicas = Integer.parseInt(env.getOrDefault("REPLICAS", "1"));
        List<String> known = new ArrayList<>(ALL_FAULTS);
        if (replicas > 1) {
            // the second instances go before disk-full, the last fault
            known.addAll(known.size() - 1, SECOND_INSTANCES);
        }
        List<String> faults = Arrays.asList(
                BenchArgs.option(args, "--faults", String.join(",", known)).split(","));
        for (String f : faults) {
            if (!known.contains(f)) {
                throw new IllegalArgumentException("unknown fault '" + f + "'; known"
                        + (replicas > 1 ? "" : " (the NAME-2 faults need --replicas 2)") + ": " + known);
            }
        }
        int receiverPort = BenchArgs.intOption(args, "--receiver-port", 0);
        try (ActionReceiver receiver = receiverPort > 0 ? ActionReceiver.start(receiverPort) : null) {
            new Drill(env, receiver).run(rate, secondsPerFault, Duration.ofSeconds(recoveryDeadline), faults);
        }
    }

    private void run(int rate, int secondsPerFault, Duration recoveryDeadline, List<String> faults) throws Exception {
        String[] load = createProject("drill load");
        String[] probe = createProject("drill probe");
        List<Outcome> outcomes = new ArrayList<>();
        long started = System.nanoTime();
        int replicas = Integer.parseInt(env.getOrDefault("REPLICAS", "1"));
        List<Skipped> skipped = new ArrayList<>();
        Map<String, Object> diskFull = null;
        try (Sender sender = new Sender(http, urls("INGEST_URL"), load[0], load[1], rate)) {
            sender.start();
            pause(Duration.ofSeconds(secondsPerFault));
            for (String fault : faults) {
                long pid;
                long t0;
                if (fault.equals("disk-full")) {
                    String disk = System.getenv().getOrDefault(DISK_VARIABLE, "not run by ./faultline drill");
                    if (!disk.equals("mounted")) {
                        skipped.add(new Skipped(fault, disk));
                        System.out.printf(Locale.ROOT, "fault %-20s SKIPPED: %s%n", fault, disk);
                        continue;
                    }
                    DiskFiller filler = new DiskFiller(home.resolve("drill-filler"));
                    diskFull = filler.fillAndHold(Duration.ofSeconds(secondsPerFault), this::intakeAnswer);
                    pid = 0;
                    // recovery counts from the moment the space is back
                    t0 = System.nanoTime();
                } else {
                    pid = inject(fault);
                    t0 = System.nanoTime();
                }
                boolean recovered = awaitRecovery(probe, recoveryDeadline);
                double seconds = (System.nanoTime() - t0) / 1e9;
                outcomes.add(new Outcome(fault, pid, seconds, recovered, obstacle));
                System.out.printf(
                        Locale.ROOT,
                        "fault %-20s pid %-7d %s after %6.1f s  (acknowledged so far %d)%n",
                        fault,
                        pid,
                        recovered ? "recovered" : "NOT RECOVERED",
                        seconds,
                        sender.acknowledged());
                pause(Duration.ofSeconds(secondsPerFault));
            }
            sender.stopAndDrain();
            long acknowledged = sender.acknowledged();
            awaitStored(load[0], acknowledged, Duration.ofSeconds(180));
            Set<String> stored = storedIds(load[0]);
            long lost = sender.acked.stream().filter(id -> !stored.contains(id)).count();
            long unacknowledged =
                    stored.stream().filter(id -> !sender.acked.contains(id)).count();
            double loadSeconds = (System.nanoTime() - started) / 1e9;
            Map<String, Object> json =
                    summary(rate, outcomes, sender, acknowledged, stored.size(), lost, unacknowledged, loadSeconds);
            json.put("replicas", replicas);
            if (!skipped.isEmpty()) {
                json.put(
                        "skipped",
                        skipped.stream()
                                .collect(Collectors.toMap(
                                        Skipped::fault, Skipped::reason, (a, b) -> a, LinkedHashMap::new)));
            }
            if (diskFull != null) {
                json.put("diskFull", diskFull);
            }
            if (replicas > 1) {
                json.put("rateAnswers", rateAnswers(load[0], replicas));
            }
            if (receiver != null) {
                awaitAudit(receiver.calls(), Duration.ofSeconds(60));
            }
            json.putAll(remediations());
            if (receiver != null) {
                // the calls that arrived, and the action steps (attempt, action, attempt number) that
                // arrived more than once: an action the resolver ran twice
                json.put("actionCallsReceived", receiver.calls());
                json.put("actionCallsRepeated", receiver.repeated());
                if (receiver.repeated() > 0) {
                    // which step, and when each call came: to find it in the resolvers' logs
                    json.put("actionStepsRepeated", receiver.repeatedSteps());
                }
            }
            System.out.println(JSON.writeValueAsString(json));
        }
    }

    /** Kills what the fault names and answers the pid it killed. */
    /** The service's URL of each instance: {@code INGEST_URL}, {@code INGEST_URL_2}, ... */
    private List<String> urls(String variable) {
        List<String> urls = new ArrayList<>();
        urls.add(env.get(variable));
        for (int i = 2; env.containsKey(variable + "_" + i); i++) {
            urls.add(env.get(variable + "_" + i));
        }
        return urls;
    }

    /**
     * The status a single event gets from the intake now, or 0 when it answers nothing within 10 s:
     * while the disk is full it must be a 503 (a 202 would promise what the broker cannot keep).
     */
    private int intakeAnswer() {
        try {
            HttpResponse<String> r = http.send(
                    HttpLoad.post(
                                    env.get("INGEST_URL") + "/api/v1/projects/" + env.get("PROJECT_ID") + "/events",
                                    env.get("PROJECT_KEY"),
                                    "application/json",
                                    SampleEvents.json(SampleEvents.eventId()))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /**
     * Every classifier instance asked for the load project's rates: a key another instance holds is
     * forwarded to it, so each answers the same counts (asked until two rounds agree, as the
     * current minute may roll over between two questions).
     */
    private Map<String, Object> rateAnswers(String project, int replicas) throws InterruptedException {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> urls = urls("CLASSIFIER_URL");
        List<String> answers = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            answers.clear();
            for (String url : urls) {
                try {
                    HttpResponse<String> r = http.send(
                            HttpRequest.newBuilder(URI.create(url + "/api/v1/rates/projects/" + project))
                                    .header("Authorization", "Bearer " + env.get("ADMIN_TOKEN"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    answers.add(r.statusCode() + " " + withoutAsOf(r.body()));
                } catch (IOException e) {
                    answers.add(e.toString());
                }
            }
            if (answers.stream().distinct().count() == 1 && answers.get(0).startsWith("200")) {
                break;
            }
            Thread.sleep(1000);
        }
        out.put("instancesAsked", urls.size());
        out.put(
                "same",
                answers.stream().distinct().count() == 1 && answers.get(0).startsWith("200"));
        out.put("answers", answers);
        return out;
    }

    /** The answer without its {@code asOf}, the instant each instance answered at. */
    private static String withoutAsOf(String body) {
        try {
            JsonNode tree = JSON.readTree(body);
            if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                o.remove("asOf");
            }
            return JSON.writeValueAsString(tree);
        } catch (IOException notJson) {
            return head(body);
        }
    }

    private long inject(String fault) throws IOException, InterruptedException {
        Path pidFile =
                switch (fault) {
                    case "broker" -> home.resolve("run/devstack.pid");
                    case "postgres" -> home.resolve("postgres/data/postmaster.pid");
                    case "ingest-sigterm" -> home.resolve("run/ingest-service.pid");
                    default -> home.resolve("run/" + fault + ".pid");
                };
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        String signal = fault.equals("ingest-sigterm") ? "-TERM" : "-9";
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid))
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill " + signal + " " + pid + " (" + fault + ") failed");
        }
        return pid;
    }

    /**
     * Recovered = every service answers ready again and an event posted after the fault is
     * counted by the query API: the whole path works, not just the processes.
     */
    private boolean awaitRecovery(String[] probe, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        long before = -1;
        boolean posted = false;
        while (System.nanoTime() < end) {
            try {
                if (before < 0) {
                    before = totalEvents(probe[0]);
                }
                if (!posted) {
                    String body = SampleEvents.json(SampleEvents.eventId());
                    HttpResponse<String> r = http.send(
                            HttpLoad.post(
                                            env.get("INGEST_URL") + "/api/v1/projects/" + probe[0] + "/events",
                                            probe[1],
                                            "application/json",
                                            body)
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    posted = r.statusCode() / 100 == 2;
                    if (!posted) {
                        obstacle = "the probe event was answered " + r.statusCode() + " " + head(r.body());
                    }
                }
                if (posted) {
                    long now = totalEvents(probe[0]);
                    String notReady = notReady();
                    if (now > before && notReady == null) {
                        obstacle = null;
                        return true;
                    }
                    obstacle = notReady != null
                            ? notReady
                            : "the probe event is not counted yet (" + now + " of " + (before + 1) + ")";
                }
            } catch (IOException notYet) {
                // the dashboard or the impact-service is one of the things still coming back
                obstacle = notYet.toString();
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** What kept the last fault from counting as recovered, for the summary; null once it did. */
    private String obstacle;

    private static String head(String body) {
        return body.length() > 300 ? body.substring(0, 300) : body;
    }

    /** The first service instance not ready, with its answer; null when all are. */
    private String notReady() {
        for (String service : SERVICES) {
            if (env.get(urlVariable(service)) == null) {
                continue;
            }
            for (String url : urls(urlVariable(service))) {
                String answer = notReady(service, url);
                if (answer != null) {
                    return answer;
                }
            }
        }
        return null;
    }

    private String notReady(String service, String url) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200
                    ? null
                    : service + " (" + url + ") not ready: " + r.statusCode() + " " + head(r.body());
        } catch (IOException e) {
            return service + " (" + url + ") not ready: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return service + " not ready: interrupted";
        }
    }

    private static String urlVariable(String service) {
        return switch (service) {
            case "ingest-service" -> "INGEST_URL";
            case "classifier-service" -> "CLASSIFIER_URL";
            case "impact-service" -> "IMPACT_URL";
            case "resolver-service" -> "RESOLVER_URL";
            default -> "DASHBOARD_URL";
        };
    }

    /** Waits until the query API counts every acknowledged event, or its count stops moving. */
    private long awaitStored(String project, long acknowledged, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        long stored = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < end) {
            try {
                long now = totalEvents(project);
                if (now != stored) {
                    stored = now;
                    lastChange = System.nanoTime();
                }
                if (stored >= acknowledged
                        || System.nanoTime() - lastChange
                                > Duration.ofSeconds(45).toNanos()) {
                    return stored;
                }
            } catch (IOException retry) {
                // keep asking until the deadline
            }
            Thread.sleep(500);
        }
        return stored;
    }

    /**
     * The ids the impact-service stored for the project, read from PostgreSQL: a count would let
     * events stored without an acknowledgement (a timeout whose write landed) hide lost ones.
     */
    private Set<String> storedIds(String project) throws SQLException {
        Set<String> ids = new java.util.HashSet<>();
        try (Connection c = DriverManager.getConnection(env.get("POSTGRES_JDBC_URL"), "postgres", "");
                PreparedStatement q = c.prepareStatement("SELECT event_id FROM error_events WHERE project_id = ?")) {
            q.setString(1, project);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private long totalEvents(String project) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(env.get("DASHBOARD_URL") + "/api/v1/overview?project=" + project))
                        .header("Authorization", "Bearer " + env.get("ADMIN_TOKEN"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("overview answered " + r.statusCode());
        }
        return JSON.readTree(r.body()).path("totalEvents").asLong();
    }

    /** A project of the drill's own, so nothing else posted to the stack counts. Answers id and key. */
    private String[] createProject(String name) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(env.get("INGEST_URL") + "/api/v1/admin/projects"))
                        .header("Authorization", "Bearer " + env.get("ADMIN_TOKEN"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                JSON.writeValueAsString(Map.of("name", name + " " + UUID.randomUUID()))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("creating a drill project answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode project = JSON.readTree(r.body());
        return new String[] {
            project.get("id").asText(),
            project.get("keys").get(0).get("publicKey").asText()
        };
    }

    private static Map<String, Object> summary(
            int rate,
            List<Outcome> outcomes,
            Sender sender,
            long acknowledged,
            long stored,
            long lost,
            long storedNotAcknowledged,
            double seconds) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rateEventsPerSec", rate);
        json.put("seconds", Math.round(seconds));
        json.put("acknowledged", acknowledged);
        json.put("stored", stored);
        json.put("lost", lost);
        json.put("storedNotAcknowledged", storedNotAcknowledged);
        json.put("senderFailures", sender.failures.get());
        if (!sender.stops.isEmpty()) {
            json.put("senderStops", List.copyOf(sender.stops));
        }
        json.put("resentAfterAcknowledgement", sender.resentAfterAck.get());
        json.put("retriedUnacknowledged", sender.retried.get());
        json.put("abandoned", sender.abandoned.get());
        json.put(
                "maxRecoverySeconds",
                outcomes.stream().mapToDouble(Outcome::recoverySeconds).max().orElse(0));
        json.put("allRecovered", outcomes.stream().allMatch(Outcome::recovered));
        Map<String, String> obstacles = new LinkedHashMap<>();
        outcomes.stream().filter(o -> !o.recovered()).forEach(o -> obstacles.put(o.fault(), o.obstacle()));
        if (!obstacles.isEmpty()) {
            json.put("notRecoveredBecause", obstacles);
        }
        json.put(
                "faults",
                outcomes.stream()
                        .collect(Collectors.toMap(
                                Outcome::fault,
                                o -> o.recovered() ? Math.round(o.recoverySeconds() * 10) / 10.0 : -1,
                                (a, b) -> a,
                                LinkedHashMap::new)));
        return json;
    }

    /** Waits until the audit trail the impact-service stored shows as many actions as the receiver got. */
    private void awaitAudit(long calls, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            try (Connection c = DriverManager.getConnection(env.get("POSTGRES_JDBC_URL"), "postgres", "");
                    var q = c.createStatement();
                    ResultSet rs = q.executeQuery("SELECT count(*) FROM resolutions WHERE phase = 'action_started'")) {
                rs.next();
                if (rs.getLong(1) >= calls) {
                    return;
                }
            } catch (SQLException retry) {
                // asked again until the deadline
            }
            Thread.sleep(500);
        }
    }

    /**
     * What the resolver recorded during the drill, from the audit trail the impact-service stored:
     * the entries per phase. An action run twice does not show here (an entry's id is its step, and
     * the impact-service stores one per id): the drill's webhook receiver counts those.
     */
    private Map<String, Object> remediations() throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(env.get("POSTGRES_JDBC_URL"), "postgres", "");
                var q = c.createStatement()) {
            Map<String, Long> phases = new java.util.TreeMap<>();
            try (ResultSet rs = q.executeQuery("SELECT phase, count(*) FROM resolutions GROUP BY phase")) {
                while (rs.next()) {
                    phases.put(rs.getString(1), rs.getLong(2));
                }
            }
            out.put("actionsStarted", phases.getOrDefault("action_started", 0L));
            out.put("auditTrail", phases);
        }
        return out;
    }

    private static void pause(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /** The load: NDJSON batches of unique events at a steady rate, resent as an SDK would. */
    private static final class Sender implements AutoCloseable {
        private static final int BATCH = 50;
        private static final int WORKERS = 4;
        private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(120);

        private final HttpClient http;
        /** One per ingest instance: a worker that gets no answer from one goes on with the next. */
        private final List<String> urls;

        private final String key;
        private final long nanosBetweenBatches;
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final AtomicLong retried = new AtomicLong();
        final AtomicLong resentAfterAck = new AtomicLong();
        final AtomicLong abandoned = new AtomicLong();
        /** Workers that stopped on an answer the drill did not expect (the load fell short). */
        final AtomicLong failures = new AtomicLong();
        /** Why each of them stopped: the answer's status and body, for the summary. */
        final List<String> stops = java.util.Collections.synchronizedList(new ArrayList<>());

        private final List<Thread> workers = new ArrayList<>();
        private final long began = System.nanoTime();
        private volatile boolean running = true;

        Sender(HttpClient http, List<String> ingestUrls, String project, String key, int rate) {
            this.http = http;
            this.urls = ingestUrls.stream()
                    .map(u -> u + "/api/v1/projects/" + project + "/events")
                    .toList();
            this.key = key;
            // each worker sends its share of the rate
            this.nanosBetweenBatches = (long) (1e9 * BATCH * WORKERS / Math.max(1, rate));
        }

        void start() {
            for (int i = 0; i < WORKERS; i++) {
                int worker = i;
                Thread t = new Thread(() -> work(worker), "drill-sender-" + i);
                t.setDaemon(true);
                t.start();
                workers.add(t);
            }
        }

        long acknowledged() {
            return acked.size();
        }

        private void work(int worker) {
            try {
                send(worker);
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                stops.add(e.getMessage());
                System.err.println("drill: a sender stopped: " + e);
            }
        }

        private void send(int worker) {
            // as behind a load balancer: the workers spread over the ingest instances
            int[] instance = {worker % urls.size()};
            long next = System.nanoTime();
            long sent = 0;
            while (running) {
                List<String> ids = new ArrayList<>(BATCH);
                StringBuilder body = new StringBuilder(BATCH * 400);
                for (int i = 0; i < BATCH; i++) {
                    String id = SampleEvents.eventId();
                    ids.add(id);
                    body.append(SampleEvents.json(id)).append('\n');
                }
                if (deliver(body.toString(), instance)) {
                    acked.addAll(ids);
                    if (++sent % 20 == 0 && deliver(body.toString(), instance)) {
                        resentAfterAck.incrementAndGet();
                    }
                }
                next += nanosBetweenBatches;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                } else {
                    next = System.nanoTime(); // behind after an outage: no catch-up burst
                }
            }
        }

        /**
         * Sends until a 2xx, as an SDK retries; answers false if it gave up. A retry goes to the next
         * ingest instance, as a load balancer takes a dead endpoint out of its rotation.
         */
        private boolean deliver(String body, int[] instance) {
            long giveUp = System.nanoTime() + GIVE_UP_AFTER.toNanos();
            long backoff = 200;
            boolean first = true;
            while (System.nanoTime() < giveUp) {
                if (!first) {
                    retried.incrementAndGet();
                    instance[0] = (instance[0] + 1) % urls.size();
                }
                first = false;
                try {
                    HttpResponse<String> r = http.send(
                            HttpLoad.post(urls.get(instance[0]), key, "application/x-ndjson", body)
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() / 100 == 2) {
                        return true;
                    }
                    if (r.statusCode() / 100 == 4 && r.statusCode() != 429 && r.statusCode() != 408) {
                        // an SDK drops an event refused with a 4xx: an acknowledged-looking loss
                        throw new IllegalStateException(String.format(
                                Locale.ROOT,
                                "the drill's own batch was refused %.1f s into the drill: %d %s",
                                (System.nanoTime() - began) / 1e9,
                                r.statusCode(),
                                r.body().length() > 300 ? r.body().substring(0, 300) : r.body()));
                    }
                    backoff = retryAfter(r).orElse(backoff);
                } catch (IOException e) {
                    // refused, reset or timed out: the intake is one of the things being broken
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(
                        Duration.ofMillis(backoff).toNanos());
                backoff = Math.min(backoff * 2, 2_000);
            }
            abandoned.incrementAndGet();
            return false;
        }

        private static Optional<Long> retryAfter(HttpResponse<?> r) {
            return r.headers().firstValue("Retry-After").flatMap(v -> {
                try {
                    return Optional.of(Math.min(2_000, Long.parseLong(v.trim()) * 1000));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            });
        }

        void stopAndDrain() throws InterruptedException {
            running = false;
            for (Thread t : workers) {
                t.join(GIVE_UP_AFTER.toMillis() + 15_000);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopAndDrain();
        }
    }
}
