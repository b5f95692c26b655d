package io.faultline.resolver.service;

import io.faultline.resolver.config.ResolverConfig;
import io.faultline.resolver.runbook.Runbook;
import io.faultline.resolver.runbook.RunbookFileException;
import io.faultline.resolver.runbook.RunbookParser;
import io.faultline.resolver.runbook.RunbooksInForce;
import io.faultline.resolver.strategy.Notifier;
import io.faultline.resolver.strategy.StrategyRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The runbooks in force. Loaded at startup (a bad file stops the service with the parser's
 * message), reloaded on demand or when the file's modification time changes. A reload that fails
 * keeps the previous runbooks: a typo must not switch remediation off in the middle of the night.
 */
@Startup
@ApplicationScoped
public class RunbookCatalogue implements RunbooksInForce {

    private static final Logger LOG = Logger.getLogger(RunbookCatalogue.class);
    static final String SHIPPED = "classpath:runbooks.yaml";
    private static final String CLASSPATH = "classpath:";

    private final ResolverConfig config;
    private final RunbookParser parser;
    private final String source;
    private volatile List<Runbook> runbooks = List.of();
    private volatile FileTime loadedVersion;
    private ScheduledExecutorService watcher;

    public RunbookCatalogue(ResolverConfig config, StrategyRegistry strategies) {
        this.config = config;
        this.parser = new RunbookParser(strategies.names(), Notifier.CHANNELS);
        this.source = config.runbooks().file().orElse(SHIPPED);
    }

    @PostConstruct
    void load() {
        reload();
        long every = config.runbooks().watchInterval().toMillis();
        if (every > 0 && !source.startsWith(CLASSPATH)) {
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "runbook-file-watch");
                t.setDaemon(true);
                return t;
            });
            watcher.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }

    @Override
    public List<Runbook> current() {
        return runbooks;
    }

    public String source() {
        return source;
    }

    /**
     * Reads the file again and swaps the runbooks in if it is valid.
     *
     * @throws RunbookFileException naming the runbook and field at fault; the old runbooks stay
     */
    public synchronized List<Runbook> reload() {
        FileTime version = version();
        List<Runbook> parsed = parser.parse(read(), source);
        runbooks = parsed;
        loadedVersion = version;
        LOG.infof(
                "loaded %d runbook(s) from %s: %s",
                parsed.size(), source, parsed.stream().map(Runbook::id).toList());
        return parsed;
    }

    private synchronized void reloadIfChanged() {
        FileTime version = version();
        if (version != null && !version.equals(loadedVersion)) {
            try {
                reload();
            } catch (RuntimeException e) {
                loadedVersion = version; // report a bad edit once, not every tick
                LOG.errorf(
                        "runbook file changed but was not loaded, the previous runbooks stay in force: %s",
                        e.getMessage());
            }
        }
    }

    private FileTime version() {
        if (source.startsWith(CLASSPATH)) {
            return null;
        }
        try {
            return Files.getLastModifiedTime(Path.of(source));
        } catch (IOException e) {
            return null;
        }
    }

    private String read() {
        try {
            if (source.startsWith(CLASSPATH)) {
                String name = source.substring(CLASSPATH.length());
                try (InputStream in =
                        Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
                    if (in == null) {
                        throw new RunbookFileException(source + ": no such resource");
                    }
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return Files.readString(Path.of(source));
        } catch (IOException e) {
            throw new RunbookFileException(source + ": cannot read: " + e.getMessage(), e);
        }
    }
}
