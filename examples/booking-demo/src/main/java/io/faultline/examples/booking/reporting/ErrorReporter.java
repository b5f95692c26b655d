package io.faultline.examples.booking.reporting;

import io.quarkus.runtime.Startup;
import io.sentry.Sentry;
import io.sentry.SentryLevel;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends errors to Faultline through the official Sentry Java SDK, as any user of Sentry does:
 * the only Faultline-specific thing is the DSN. The workflow goes in a tag (the classifier reads
 * it), a failed operation's retry payload in {@code extra.retry_payload} (the resolver's redrive
 * strategy publishes it to the retry topic).
 */
@Startup
@ApplicationScoped
public class ErrorReporter {

    public static final String RETRY_PAYLOAD = "retry_payload";
    private static final Logger LOG = Logger.getLogger(ErrorReporter.class);

    private final Optional<String> dsn;
    private final String environment;
    private final String release;

    public ErrorReporter(
            @ConfigProperty(name = "booking.sentry.dsn") Optional<String> dsn,
            @ConfigProperty(name = "booking.sentry.environment", defaultValue = "demo") String environment,
            @ConfigProperty(name = "booking.sentry.release", defaultValue = "booking-demo@1.0.0") String release) {
        this.dsn = dsn.filter(s -> !s.isBlank());
        this.environment = environment;
        this.release = release;
    }

    @PostConstruct
    void start() {
        if (dsn.isEmpty()) {
            LOG.warn("booking.sentry.dsn is not set: errors are logged, not reported");
            return;
        }
        Sentry.init(options -> {
            options.setDsn(dsn.get());
            options.setEnvironment(environment);
            options.setRelease(release);
            options.setServerName("booking-demo");
            // the demo reports what its handlers catch; a crash handler would double-report
            options.setEnableUncaughtExceptionHandler(false);
            options.setSendClientReports(false);
            options.setDiagnosticLevel(SentryLevel.WARNING);
        });
        LOG.infof("reporting errors to %s", Dsn.parse(dsn.get()).baseUrl());
    }

    @PreDestroy
    void stop() {
        if (dsn.isPresent()) {
            Sentry.close();
        }
    }

    public void report(Throwable error, String workflow, Map<String, String> extras) {
        if (dsn.isEmpty()) {
            LOG.errorf(error, "[%s] %s", workflow, error.getMessage());
            return;
        }
        Sentry.withScope(scope -> {
            scope.setTag("workflow", workflow);
            scope.setTag("service", "booking-demo");
            extras.forEach(scope::setExtra);
            Sentry.captureException(error);
        });
    }
}
