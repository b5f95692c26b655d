package io.faultline.impact.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Statements on the reactive client, and conversions between the values of their rows and domain values. */
final class Rows {

    private Rows() {}

    /**
     * Runs {@code sql} (parameters $1..$n) on a pool or a connection and returns each row as its
     * columns' values: timestamptz as OffsetDateTime, bigint as Long, numeric (a SUM of bigints)
     * as a Number. Trailing null parameters are left out: they are the optional filters (a
     * project) whose clause the caller left out of the SQL, and PostgreSQL refuses a parameter
     * the statement does not use.
     */
    static Uni<List<Object[]>> list(SqlClient db, String sql, List<Object> params) {
        int n = params.size();
        while (n > 0 && params.get(n - 1) == null) {
            n--;
        }
        return db.preparedQuery(sql).execute(Tuple.from(params.subList(0, n))).map(rows -> {
            List<Object[]> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                Object[] columns = new Object[r.size()];
                for (int i = 0; i < columns.length; i++) {
                    columns[i] = r.getValue(i);
                }
                out.add(columns);
            }
            return out;
        });
    }

    static Uni<List<Object[]>> list(SqlClient db, String sql, Object... params) {
        return list(db, sql, Arrays.asList(params));
    }

    static Instant instant(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof java.time.LocalDateTime ldt) {
            return ldt.toInstant(ZoneOffset.UTC);
        }
        return value == null ? null : Instant.parse(value.toString());
    }

    static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static long count(Object value) {
        return value == null ? 0L : ((Number) value).longValue();
    }

    static Double decimal(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }
}
