package io.faultline.impact.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.faultline.impact.repository.GroupSearch;
import io.faultline.schemas.ErrorEvent;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an event adds to its group's tag distribution ({@code group_tag_values}) and users
 * ({@code group_users}): the tags Sentry shows on an issue (level, release, environment, server
 * name, browser, os, runtime and device from the contexts, the workflow) and every custom tag,
 * plus the hashed id of the user it happened to. Extracted before the batch transaction, folded
 * per group after it knows the surviving group ids. Pure, so unit-tested.
 */
public final class TagValues {

    private static final JsonFactory JSON = new JsonFactory();
    /** A longer user hash is not one the scrubber made; the column keeps 128. */
    private static final int MAX_USER = 128;
    /** An event's tags beyond this many custom ones are not counted: SDKs send a handful. */
    private static final int MAX_CUSTOM_TAGS = 50;

    /** The key and value pairs of one event, and its user's hash (null if it named no user). */
    public record Extracted(List<String[]> tags, String user) {}

    /** An event as the rollups count it: a batch's, or one stored before them (RollupBackfill). */
    public interface Occurrence {
        String eventId();

        String groupId();

        OffsetDateTime occurredAt();
    }

    /** One row of the batch's upsert into group_tag_values. */
    public record Change(
            String groupId, String key, String value, long count, OffsetDateTime firstSeen, OffsetDateTime lastSeen) {}

    private TagValues() {}

    public static Extracted of(ErrorEvent e, String workflow) {
        List<String[]> tags = new ArrayList<>();
        add(tags, "level", e.getLevel());
        add(tags, "release", e.getRelease());
        add(tags, "environment", e.getEnvironment());
        add(tags, "server_name", e.getServerName());
        add(tags, "workflow", workflow);
        Map<String, String> contexts = e.getContexts();
        if (contexts != null && !contexts.isEmpty()) {
            add(tags, "browser", context(contexts.get("browser"), "name", "version"));
            add(tags, "os", context(contexts.get("os"), "name", "version"));
            add(tags, "runtime", context(contexts.get("runtime"), "name", "version"));
            add(tags, "device", context(contexts.get("device"), "model", null));
        }
        Map<String, String> custom = e.getTags();
        if (custom != null) {
            int n = 0;
            for (Map.Entry<String, String> tag : custom.entrySet()) {
                String key = tag.getKey();
                // the fields above win over a custom tag of the same name: one value per key and event
                if (n++ == MAX_CUSTOM_TAGS || key.length() > GroupSearch.MAX_KEY || has(tags, key)) {
                    continue;
                }
                add(tags, key, tag.getValue());
            }
        }
        return new Extracted(tags, user(e));
    }

    /**
     * What an event stored without its whole payload (before V5) adds: the tags its summary row
     * kept. Its user and other tags are gone with the payload it never had.
     */
    public static Extracted ofSummary(String level, String release, String environment, String workflow) {
        List<String[]> tags = new ArrayList<>(4);
        add(tags, "level", level);
        add(tags, "release", release);
        add(tags, "environment", environment);
        add(tags, "workflow", workflow);
        return new Extracted(tags, null);
    }

    /** The scrubbed (hashed) id, else the hashed email, username or IP: what Sentry counts a user by. */
    static String user(ErrorEvent e) {
        var u = e.getUser();
        if (u == null) {
            return null;
        }
        String id = u.getId() != null
                ? u.getId()
                : u.getEmail() != null ? u.getEmail() : u.getUsername() != null ? u.getUsername() : u.getIpAddress();
        return id == null || id.isEmpty() ? null : storable(ClassifiedEvents.clip(id, MAX_USER));
    }

    /**
     * "Chrome 120.0" from {"name": "Chrome", "version": "120.0"}; null when the context is unreadable.
     * Read as a stream of tokens, not a tree: every event carries up to four contexts, and a tree
     * allocates a node per field only to be dropped. Same answers as the tree: the last of repeated
     * fields wins, any scalar counts (as its text), an object or array does not.
     */
    static String context(String json, String nameField, String versionField) {
        if (json == null || json.isEmpty()) {
            return null;
        }
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String name = null;
            String version = null;
            JsonToken t = p.nextToken();
            for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals(nameField)) {
                    name = scalar(p, value);
                } else if (field.equals(versionField)) {
                    version = scalar(p, value);
                }
                p.skipChildren();
            }
            if (t != JsonToken.END_OBJECT) {
                return null;
            }
            return name == null ? null : version != null && !version.isEmpty() ? name + " " + version : name;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A scalar's text as a tree's {@code asText} gives it (a float as a double); null for an object or array. */
    private static String scalar(JsonParser p, JsonToken value) throws IOException {
        return switch (value) {
            case START_OBJECT, START_ARRAY -> null;
            case VALUE_NUMBER_INT -> p.getNumberValue().toString();
            case VALUE_NUMBER_FLOAT -> Double.toString(p.getDoubleValue());
            default -> p.getText();
        };
    }

    private static boolean has(List<String[]> tags, String key) {
        for (String[] t : tags) {
            if (t[0].equals(key)) {
                return true;
            }
        }
        return false;
    }

    private static void add(List<String[]> tags, String key, String value) {
        if (value != null && !value.isEmpty()) {
            tags.add(new String[] {storable(key), storable(ClassifiedEvents.clip(value, GroupSearch.MAX_VALUE))});
        }
    }

    /**
     * The text with U+0000 and lone surrogates replaced by U+FFFD, as ingest does for the event's
     * own fields: a context is JSON text, and a NUL escaped in it only becomes a real one here,
     * which PostgreSQL text refuses (the whole batch, then the event, would be dead-lettered).
     */
    static String storable(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\u0000' || Character.isSurrogate(c)) {
                return replaced(s);
            }
        }
        return s;
    }

    private static String replaced(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (c == '\u0000' || Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The batch's events folded to one row per (group, key, value), sorted by that key so that
     * concurrent batches lock shared rows in one order (see {@link ClassifiedBatch}). Counted in a
     * hash map and sorted once: a batch has several tags per event but far fewer distinct rows, and
     * keying a sorted map by the three joined into one string cost a string and a record per tag.
     */
    public static List<Change> fold(List<? extends Occurrence> events, Map<String, Extracted> extracted) {
        Map<RowKey, Row> rows = new HashMap<>();
        for (Occurrence e : events) {
            Extracted x = extracted.get(e.eventId());
            if (x == null) {
                continue;
            }
            for (String[] tag : x.tags()) {
                Row row = rows.computeIfAbsent(new RowKey(e.groupId(), tag[0], tag[1]), k -> new Row(e.occurredAt()));
                row.add(e.occurredAt());
            }
        }
        List<Map.Entry<RowKey, Row>> sorted = new ArrayList<>(rows.entrySet());
        sorted.sort(Map.Entry.comparingByKey());
        List<Change> changes = new ArrayList<>(sorted.size());
        for (Map.Entry<RowKey, Row> r : sorted) {
            RowKey k = r.getKey();
            Row row = r.getValue();
            changes.add(new Change(k.groupId(), k.key(), k.value(), row.count, row.firstSeen, row.lastSeen));
        }
        return changes;
    }

    /** Ordered as the group, key and value joined by U+0000 would be: none of them holds one. */
    private record RowKey(String groupId, String key, String value) implements Comparable<RowKey> {
        @Override
        public int compareTo(RowKey o) {
            int c = groupId.compareTo(o.groupId);
            if (c == 0) {
                c = key.compareTo(o.key);
            }
            return c != 0 ? c : value.compareTo(o.value);
        }
    }

    private static final class Row {
        long count;
        OffsetDateTime firstSeen;
        OffsetDateTime lastSeen;

        Row(OffsetDateTime at) {
            firstSeen = at;
            lastSeen = at;
        }

        void add(OffsetDateTime at) {
            count++;
            if (at.isBefore(firstSeen)) {
                firstSeen = at;
            }
            if (at.isAfter(lastSeen)) {
                lastSeen = at;
            }
        }
    }

    /** Distinct (group, user) pairs of the batch, sorted, as two parallel arrays. */
    public static String[][] users(List<? extends Occurrence> events, Map<String, Extracted> extracted) {
        // a (group, user, "") key sorts as the pair joined by U+0000 would
        Set<RowKey> pairs = new HashSet<>();
        for (Occurrence e : events) {
            Extracted x = extracted.get(e.eventId());
            if (x != null && x.user() != null) {
                pairs.add(new RowKey(e.groupId(), x.user(), ""));
            }
        }
        RowKey[] sorted = pairs.toArray(RowKey[]::new);
        Arrays.sort(sorted);
        String[] groups = new String[sorted.length];
        String[] users = new String[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            groups[i] = sorted[i].groupId();
            users[i] = sorted[i].key();
        }
        return new String[][] {groups, users};
    }
}
