package io.faultline.ingest.rest;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts every HTTP request that reaches the ingest, by path, before authentication or rate
 * limiting looks at it: what a client did not send is not counted, whatever the answer would
 * have been. Test-only, so that "the SDK stopped sending" is observed on the wire.
 */
@ApplicationScoped
public class ArrivingRequests {

    private final Map<String, AtomicInteger> byPath = new ConcurrentHashMap<>();

    void install(@Observes Filters filters) {
        filters.register(
                rc -> {
                    byPath.computeIfAbsent(rc.normalizedPath(), p -> new AtomicInteger())
                            .incrementAndGet();
                    rc.next();
                },
                Integer.MAX_VALUE);
    }

    public int to(String path) {
        AtomicInteger n = byPath.get(path);
        return n == null ? 0 : n.get();
    }
}
