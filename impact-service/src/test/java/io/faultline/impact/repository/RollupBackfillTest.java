package io.faultline.impact.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.devstack.quarkus.PostgresTestResource;
import io.faultline.impact.ImpactFixtures;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.UserInfo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Groups stored before V8 get the rollups live ingestion would have written (issue #26): one group
 * takes every event through the consumer's batch transaction, its twin takes the same events with
 * the first ones stored as a version before V8 left them (summaries and payloads, markers older
 * than the horizon, no rollup rows) and the later ones stored live; after the backfill the twin's
 * tag distribution, users and users affected are the first group's.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class RollupBackfillTest {

    private static final String PROJECT = "rollup-backfill";
    private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
    private static final int EVENTS = 8;
    private static final int BEFORE_V8 = 5;

    @Inject
    ImpactRecorder recorder;

    @Inject
    RollupBackfill backfill;

    @Inject
    Pool pool;

    private static ClassifiedError event(String group, int i) {
        ClassifiedError c = ImpactFixtures.sample(
                ImpactFixtures.error(
                        PROJECT,
                        ImpactFixtures.eventId(group, i),
                        group,
                        T0.plusSeconds(i * 60L),
                        null,
                        "booking",
                        "high",
                        "user_blocking"),
                i);
        // users repeat across the pre-V8 and the live events: each counted once
        c.getEvent().setUser(UserInfo.newBuilder().setId("sha256:user" + i % 3).build());
        c.getEvent().setTags(Map.of("service", "booking", "shard", "s" + i % 2));
        return c;
    }

    private static List<ClassifiedError> events(String group, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> event(group, i)).toList();
    }

    @Test
    void eventsStoredBeforeV8GetTheRollupsLiveIngestionWrites() throws Throwable {
        String live = "backfill-live";
        String old = "backfill-old";
        record(events(live, 0, 3));
        record(events(live, 3, EVENTS));

        // what a version before V8 left: events and payloads, no rollups, markers before the horizon
        record(events(old, 0, BEFORE_V8));
        sql("DELETE FROM group_tag_values WHERE group_id = $1", old);
        sql("DELETE FROM group_users WHERE group_id = $1", old);
        sql("UPDATE error_groups SET users_affected = 0 WHERE group_id = $1", old);
        sql(
                "UPDATE processed_records SET processed_at = (SELECT horizon FROM rollup_backfill) - interval '1 day'"
                        + " WHERE record_id = ANY($1::varchar[])",
                (Object) IntStream.range(0, BEFORE_V8)
                        .mapToObj(i -> ImpactFixtures.eventId(old, i))
                        .toArray(String[]::new));
        // then the upgrade: later events are counted as they are stored
        record(events(old, BEFORE_V8, EVENTS));
        assertThat(tags(old)).isNotEqualTo(tags(live));
        rewind();

        // the test's page is 3 events: the walk crosses pages inside and between the groups
        RollupBackfill.Progress progress = VertxContextSupport.subscribeAndAwait(backfill::run);

        assertThat(progress.finished()).isTrue();
        assertThat(progress.counted()).isGreaterThanOrEqualTo(BEFORE_V8);
        assertThat(tags(old)).isNotEmpty().isEqualTo(tags(live));
        assertThat(users(old)).hasSize(3).isEqualTo(users(live));
        assertThat(usersAffected(old)).isEqualTo(usersAffected(live)).isEqualTo(3);

        // finished: a later run walks nothing, and nothing is counted twice
        assertThat(VertxContextSupport.subscribeAndAwait(backfill::run).events())
                .isZero();
        assertThat(tags(old)).isEqualTo(tags(live));
    }

    @Test
    void anEventStoredWithoutItsPayloadCountsTheTagsItsSummaryKept() throws Throwable {
        String group = "backfill-summary";
        record(events(group, 0, 1));
        String id = ImpactFixtures.eventId(group, 0);
        sql("DELETE FROM group_tag_values WHERE group_id = $1", group);
        sql("DELETE FROM group_users WHERE group_id = $1", group);
        sql("UPDATE error_groups SET users_affected = 0 WHERE group_id = $1", group);
        sql("DELETE FROM event_payloads WHERE event_id = $1", id);
        sql(
                "UPDATE processed_records SET processed_at = (SELECT horizon FROM rollup_backfill) - interval '1 day'"
                        + " WHERE record_id = $1",
                id);
        rewind();

        VertxContextSupport.subscribeAndAwait(backfill::run);

        assertThat(tags(group))
                .extracting(t -> t.substring(0, t.indexOf('|', t.indexOf('|') + 1)))
                .containsExactly("environment|production", "level|error", "release|shop@1.4.0", "workflow|booking");
        assertThat(usersAffected(group)).isZero();
    }

    /** As V12 left it: a rewound walk counts again every event before the horizon, its own test's only. */
    private void rewind() throws Throwable {
        sql("UPDATE rollup_backfill SET next_group = NULL, next_at = NULL, next_event = NULL, finished_at = NULL");
    }

    private void record(List<ClassifiedError> batch) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> recorder.record(batch));
    }

    private void sql(String statement, Object... parameters) throws Throwable {
        VertxContextSupport.subscribeAndAwait(
                () -> pool.preparedQuery(statement).execute(Tuple.from(parameters)));
    }

    private List<String> tags(String group) throws Throwable {
        return strings(
                "SELECT key || '|' || value || '|' || times_seen || '|' || first_seen || '|' || last_seen"
                        + " FROM group_tag_values WHERE group_id = $1 ORDER BY key, value",
                group);
    }

    private List<String> users(String group) throws Throwable {
        return strings("SELECT user_hash FROM group_users WHERE group_id = $1 ORDER BY user_hash", group);
    }

    private long usersAffected(String group) throws Throwable {
        return Long.parseLong(strings("SELECT users_affected::text FROM error_groups WHERE group_id = $1", group)
                .get(0));
    }

    private List<String> strings(String query, String group) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(
                () -> pool.preparedQuery(query).execute(Tuple.of(group)).map(rows -> {
                    List<String> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(r.getString(0));
                    }
                    return out;
                }));
    }
}
