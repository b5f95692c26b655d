package io.faultline.loadgen;

import io.faultline.schemas.ResolutionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./faultline bench resolution}: replays the booking demo's incidents round after round
 * against a stack started by {@code ./faultline demo --no-traffic} and measures, from the moment
 * each fault is switched on (so before its first occurrence) to the resolver's verdict on
 * {@code faultline.resolutions.v1}, how many actionable incidents were verified fixed and how
 * fast the critical ones were.
 *
 * <p>Actionable = the scenarios a runbook can fix (database drop, stuck breaker, slow
 * dependency). The client-management bug is not actionable: its right outcome is an escalation,
 * reported separately and kept out of the rate.
 */
public final class ResolutionBench {

    private record Outcome(
            DemoScenario scenario, int round, String phase, String severity, double matchedSeconds, double seconds) {
        boolean fixed() {
            return phase.equals("verification_passed");
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = BenchArgs.stackEnv(args);
        int rounds = BenchArgs.intOption(args, "--rounds", 20);
        // a fresh stack's first errors meet cold JITs and a classifier building its first state;
        // those rounds are played and printed but not counted
        int warmupRounds = BenchArgs.intOption(args, "--warmup-rounds", 1);
        Duration deadline = Duration.ofSeconds(BenchArgs.intOption(args, "--deadline-seconds", 45));
        Duration pace = Duration.ofMillis(BenchArgs.intOption(args, "--request-every-ms", 100));
        String url = env.get("BOOKING_DEMO_URL");
        if (url == null) {
            throw new IllegalStateException("stack.env has no BOOKING_DEMO_URL: start the stack with ./faultline demo");
        }
        BookingDemoClient demo = new BookingDemoClient(url);
        List<Outcome> outcomes = new ArrayList<>();
        try (ResolutionTrail trail = new ResolutionTrail(env.get("KAFKA_BOOTSTRAP_SERVERS"))) {
            for (int round = 1 - warmupRounds; round <= rounds; round++) {
                for (DemoScenario s : DemoScenario.values()) {
                    Outcome o = play(demo, trail, s, round, deadline, pace);
                    if (round > 0) {
                        outcomes.add(o);
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "%-9s %-28s %-20s %-9s matched after %5.2f s, ended after %6.2f s%n",
                            round > 0 ? "round " + round : "warm-up",
                            s.name().toLowerCase(Locale.ROOT),
                            o.phase(),
                            o.severity(),
                            o.matchedSeconds(),
                            o.seconds());
                }
            }
            System.out.println(summary(outcomes, rounds, demo));
        }
    }

    private static Outcome play(
            BookingDemoClient demo,
            ResolutionTrail trail,
            DemoScenario s,
            int round,
            Duration deadline,
            Duration pace) {
        demo.healAll();
        String client = "cl_bench_" + round;
        String booking = s == DemoScenario.PAYMENT_CIRCUIT_STUCK_OPEN
                ? demo.book(client).json().get("id").asText()
                : null;
        DemoScenario.Context ctx = new DemoScenario.Context(client, booking);
        Instant brokenAt = Instant.now();
        demo.breakIt(s.fault(), s.faultSeconds());
        long end = System.nanoTime() + deadline.toNanos();
        Optional<String> attempt = Optional.empty();
        Optional<ResolutionEvent> last = Optional.empty();
        while (System.nanoTime() < end) {
            s.request(demo, ctx);
            if (attempt.isEmpty()) {
                attempt = trail.attemptSince(s.runbookId(), brokenAt);
            }
            if (attempt.isPresent()) {
                last = trail.outcome(attempt.get());
                if (last.isPresent()) {
                    break;
                }
            }
            LockSupport.parkNanos(pace.toNanos());
        }
        if (s == DemoScenario.CLIENT_PROFILE_BUG || last.isEmpty()) {
            demo.switchOff(s.fault());
        }
        if (last.isEmpty()) {
            return new Outcome(s, round, attempt.isEmpty() ? "no_attempt" : "timed_out", "-", Double.NaN, Double.NaN);
        }
        ResolutionEvent e = last.get();
        ResolutionEvent matched = trail.attempt(attempt.get()).get(0);
        return new Outcome(
                s,
                round,
                e.getPhase(),
                String.valueOf(e.getSeverity()),
                Duration.between(brokenAt, matched.getTimestamp()).toMillis() / 1000.0,
                Duration.between(brokenAt, e.getTimestamp()).toMillis() / 1000.0);
    }

    private static String summary(List<Outcome> outcomes, int rounds, BookingDemoClient demo) {
        List<Outcome> actionable =
                outcomes.stream().filter(o -> o.scenario().actionable()).toList();
        long fixed = actionable.stream().filter(Outcome::fixed).count();
        List<Double> critical = actionable.stream()
                .filter(Outcome::fixed)
                .filter(o -> o.severity().equals("critical"))
                .map(Outcome::seconds)
                .sorted()
                .toList();
        long criticalTotal =
                actionable.stream().filter(o -> o.severity().equals("critical")).count();
        List<Outcome> unfixable =
                outcomes.stream().filter(o -> !o.scenario().actionable()).toList();
        long escalated =
                unfixable.stream().filter(o -> o.phase().equals("escalated")).count();

        StringBuilder human = new StringBuilder("\n");
        Map<DemoScenario, List<Outcome>> by = new EnumMap<>(DemoScenario.class);
        outcomes.forEach(
                o -> by.computeIfAbsent(o.scenario(), k -> new ArrayList<>()).add(o));
        Map<String, Object> perScenario = new LinkedHashMap<>();
        by.forEach((s, list) -> {
            String want = s.actionable() ? "verification_passed" : "escalated";
            long right = list.stream().filter(o -> o.phase().equals(want)).count();
            List<Double> secs = list.stream()
                    .filter(o -> o.phase().equals(want))
                    .map(Outcome::seconds)
                    .sorted()
                    .toList();
            human.append(String.format(
                    Locale.ROOT,
                    "%-28s %2d/%-2d %s, p50 %.2f s, p95 %.2f s%n",
                    s.name().toLowerCase(Locale.ROOT),
                    right,
                    list.size(),
                    s.actionable() ? "verified fixed" : "escalated",
                    percentile(secs, 50),
                    percentile(secs, 95)));
            perScenario.put(
                    s.name().toLowerCase(Locale.ROOT),
                    String.format(
                            Locale.ROOT,
                            "{\"expected\":\"%s\",\"ok\":%d,\"of\":%d,\"p50Seconds\":%s,\"p95Seconds\":%s}",
                            want,
                            right,
                            list.size(),
                            num(percentile(secs, 50)),
                            num(percentile(secs, 95))));
        });
        var stats = demo.stats();
        human.append(String.format(
                Locale.ROOT,
                "demo app: %d breaker resets, %d cache fallbacks, %d re-drives received, %d bookings re-driven,"
                        + " %d still parked, %d notifications%n",
                stats.path("paymentBreakerResets").asLong(),
                stats.path("availabilityFallbackSwitches").asLong(),
                stats.path("redrivesReceived").asLong(),
                stats.path("bookingsRedriven").asLong(),
                stats.path("bookingsParked").asLong(),
                stats.path("notifications").asLong()));
        human.append(String.format(
                Locale.ROOT,
                "auto-resolution %d/%d actionable incidents; critical verified fixed %d/%d, p95 %.2f s"
                        + " (fault switched on -> verification passed)%n",
                fixed,
                actionable.size(),
                critical.size(),
                criticalTotal,
                percentile(critical, 95)));
        StringBuilder json = new StringBuilder("{");
        json.append("\"rounds\":").append(rounds);
        json.append(",\"actionable\":").append(actionable.size());
        json.append(",\"verifiedFixed\":").append(fixed);
        json.append(",\"autoResolutionRate\":")
                .append(num(actionable.isEmpty() ? Double.NaN : (double) fixed / actionable.size()));
        json.append(",\"criticalIncidents\":").append(criticalTotal);
        json.append(",\"criticalP50Seconds\":").append(num(percentile(critical, 50)));
        json.append(",\"criticalP95Seconds\":").append(num(percentile(critical, 95)));
        json.append(",\"unfixableEscalated\":").append(escalated);
        json.append(",\"unfixable\":").append(unfixable.size());
        json.append(",\"scenarios\":{");
        json.append(String.join(
                ",",
                perScenario.entrySet().stream()
                        .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                        .toList()));
        json.append("}}");
        return human + json.toString();
    }

    /** Nearest-rank percentile of sorted values; NaN when there are none. */
    static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.3f", v);
    }
}
