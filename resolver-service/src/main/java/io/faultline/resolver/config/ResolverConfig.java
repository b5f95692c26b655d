package io.faultline.resolver.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** The resolver's settings ({@code faultline.*}). */
@ConfigMapping(prefix = "faultline")
public interface ResolverConfig {

    Runbooks runbooks();

    /**
     * Token required (as {@code Authorization: Bearer <token>}) by the admin endpoints: runbook
     * reload and approvals. Unset = those endpoints refuse every request.
     */
    @WithName("admin-token")
    Optional<String> adminToken();

    Resolver resolver();

    @WithName("notify")
    Notify notifications();

    Kubernetes kubernetes();

    interface Runbooks {
        /**
         * The operator's runbook file (env FAULTLINE_RUNBOOKS_FILE); {@code classpath:name}
         * reads a resource. Unset = the example shipped in the jar ({@code runbooks.yaml}).
         */
        Optional<String> file();

        /** How often the file's modification time is checked for a reload; 0 = never. */
        @WithDefault("10s")
        Duration watchInterval();
    }

    interface Resolver {
        /** Global dry-run: actions and notifications are recorded but never executed. */
        @WithDefault("false")
        boolean dryRun();

        /** Actions allowed to run at once against one target, across all runbooks. */
        @WithDefault("1")
        int maxConcurrentPerTarget();

        /** Where the attempt journal (the idempotency record) lives. */
        @WithDefault("faultline-resolver-state")
        String stateDir();

        /** Threads running actions (they block on HTTP and Kafka calls). */
        @WithDefault("4")
        int workers();

        /**
         * How long after a verification window closes the verdict waits: occurrences count by
         * the time ingest received them, and one received inside the window reaches the resolver
         * this much later at most (the classifier's latency).
         */
        @WithDefault("2s")
        Duration verificationSettle();

        /** A pending approval not answered in this time is escalated. */
        @WithDefault("30m")
        Duration approvalTimeout();
    }

    interface Notify {
        /** Slack incoming-webhook URL (or any Slack-compatible receiver). */
        @WithName("slack.url")
        Optional<String> slackUrl();

        /** PagerDuty Events API v2 endpoint. */
        @WithName("pagerduty.url")
        @WithDefault("https://events.pagerduty.com/v2/enqueue")
        String pagerdutyUrl();

        /** PagerDuty integration (routing) key; unset = PagerDuty notifications fail. */
        @WithName("pagerduty.routing-key")
        Optional<String> pagerdutyRoutingKey();
    }

    interface Kubernetes {
        /** API server; the in-cluster default works for a pod with a service account. */
        @WithDefault("https://kubernetes.default.svc")
        String apiUrl();

        @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/token")
        String tokenFile();

        /** CA bundle of the API server; ignored for plain http URLs. */
        @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt")
        String caFile();
    }
}
