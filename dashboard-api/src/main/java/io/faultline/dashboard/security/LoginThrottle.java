package io.faultline.dashboard.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Slows password guessing at the login form, and keeps a flood of logins from taking the
 * dashboard's CPU (each check is a deliberately slow PBKDF2).
 *
 * <p>Per user name: the first {@link #FREE_FAILURES} wrong passwords cost nothing extra; after
 * that each attempt must wait 1 s, 2 s, 4 s … (at most {@link #MAX_WAIT}) after the last failure.
 * A right password clears the name; {@link #FORGET_AFTER} without a failure does too. Names are
 * counted whether a user has them or not, so the answers tell nobody which names exist; the
 * table keeps the {@link #MAX_NAMES} most recently tried names. A slowed name gets no password
 * check at all, so guessing costs the attacker time and the dashboard nothing.
 *
 * <p>Not by client address: behind an Ingress every browser shares the proxy's address, and one
 * guesser would lock everybody out.
 *
 * <p>At most one password check per core runs at once; a login beyond that is told to retry in
 * a second instead of queueing for a worker thread.
 */
@ApplicationScoped
public class LoginThrottle {

    static final int FREE_FAILURES = 5;
    static final Duration MAX_WAIT = Duration.ofMinutes(5);
    static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    static final int MAX_NAMES = 10_000;

    private record Failures(int count, Instant last) {}

    private final InstantSource clock;
    private final Semaphore checks;
    private final Map<String, Failures> byName = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_NAMES;
        }
    };

    public LoginThrottle() {
        this(Clock.systemUTC(), Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    LoginThrottle(InstantSource clock, int concurrentChecks) {
        this.clock = clock;
        this.checks = new Semaphore(concurrentChecks);
    }

    /** Whole seconds before the name may try again; 0 when it may try now. */
    public synchronized long secondsToWait(String name) {
        Failures failures = byName.get(key(name));
        if (failures == null || failures.count() < FREE_FAILURES) {
            return 0;
        }
        Instant now = clock.instant();
        Instant allowed = failures.last().plus(waitAfter(failures.count()));
        return now.isBefore(allowed)
                ? Math.max(1, Duration.between(now, allowed).toSeconds())
                : 0;
    }

    /** Takes one of the password checks allowed at once; false when all are busy. */
    public boolean startCheck() {
        return checks.tryAcquire();
    }

    public void endCheck() {
        checks.release();
    }

    public synchronized void failed(String name) {
        Instant now = clock.instant();
        String key = key(name);
        Failures before = byName.get(key);
        int count = before == null || before.last().plus(FORGET_AFTER).isBefore(now) ? 1 : before.count() + 1;
        byName.put(key, new Failures(count, now));
    }

    public synchronized void succeeded(String name) {
        byName.remove(key(name));
    }

    static Duration waitAfter(int failures) {
        int doublings = failures - FREE_FAILURES;
        if (doublings >= 30) {
            return MAX_WAIT;
        }
        Duration wait = Duration.ofSeconds(1L << doublings);
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }

    /** Names past 128 characters are nobody's: their tail need not take up the table. */
    private static String key(String name) {
        return name == null ? "" : name.length() > 128 ? name.substring(0, 128) : name;
    }
}
