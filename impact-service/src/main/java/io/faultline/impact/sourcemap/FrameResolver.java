package io.faultline.impact.sourcemap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Resolves an event's minified JavaScript frames to their original file, line, column, function
 * and source lines, when it is read (the event API). Resolving on read rather than at ingest keeps
 * the intake path free of source map lookups, works for events that arrived before their maps
 * were uploaded, and keeps the stored event exactly as the SDK sent it: each resolved frame shows
 * the original and keeps its minified self under {@code minified}.
 *
 * <p>A frame finds its map by the debug id of its file (the event's {@code debugImages}: the image
 * whose {@code codeFile} is the frame's {@code absPath}, or its {@code filename} when it has none
 * as the browser SDKs send it, when the SDK sent them), else by the URL
 * of its minified file in the project's uploads: its full URL, then {@code ~/path} as sentry-cli
 * names files, the event's release before others.
 */
@ApplicationScoped
public class FrameResolver {

    private static final Logger LOG = Logger.getLogger(FrameResolver.class);

    /** Lines of source shown before and after a frame's line, as the SDKs send them. */
    static final int CONTEXT = 5;
    /** Longer source lines are cut: a line of a bundled vendor file can be megabytes. */
    static final int MAX_LINE = 300;
    /** How far above a frame's line its enclosing function's name is looked for. */
    static final int NAME_SEARCH_LINES = 200;
    /**
     * Decoded maps kept: a bundle's map is read by every event of the same release. Few, because a
     * large app's map decodes to tens of MB (five ints a segment, plus its sources' text).
     */
    static final int CACHED_MAPS = 4;

    private static final Pattern FUNCTION = Pattern.compile(
            "function\\s*\\*?\\s*([A-Za-z_$][\\w$]*)\\s*[(<]"
                    + "|(?:const|let|var)\\s+([A-Za-z_$][\\w$]*)\\s*(?::[^=]{0,80})?=\\s*(?:async\\s*)?"
                    + "(?:function\\b|\\([^()]{0,200}\\)\\s*(?::[^=]{0,80})?=>|[A-Za-z_$][\\w$]*\\s*=>)"
                    + "|^\\s*(?:(?:async|static|public|private|protected|get|set)\\s+){0,3}([A-Za-z_$][\\w$]*)\\s*\\([^()]{0,200}\\)\\s*(?::[^{]{0,80})?\\{");
    private static final java.util.Set<String> NOT_NAMES =
            java.util.Set.of("if", "for", "while", "switch", "catch", "function", "return", "with");

    private final SourceFileStore store;
    private final ObjectMapper json;
    private final Map<String, SourceMap> cache = new LinkedHashMap<>(CACHED_MAPS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SourceMap> eldest) {
            return size() > CACHED_MAPS;
        }
    };

    public FrameResolver(SourceFileStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /** A map ready to use and the URL it was uploaded under. */
    private record Loaded(SourceMap map, String url) {}

    /** Rewrites the event's resolvable frames in place; a frame without a map is left as it is. */
    public Uni<ObjectNode> resolve(String project, ObjectNode event) {
        List<ObjectNode> frames = new ArrayList<>();
        for (JsonNode exception : event.path("exceptions")) {
            for (JsonNode frame : exception.path("frames")) {
                if (minifiedFile(frame) != null
                        && frame.path("lineno").isInt()
                        && frame.path("colno").isInt()) {
                    frames.add((ObjectNode) frame);
                }
            }
        }
        if (frames.isEmpty() || project == null) {
            return Uni.createFrom().item(event);
        }
        Map<String, UUID> debugIds = debugIds(event);
        String release =
                event.path("release").isTextual() ? event.get("release").asText() : null;
        return store.hasFiles(project).chain(has -> {
            if (!has) {
                return Uni.createFrom().item(event);
            }
            Map<String, Uni<Optional<Loaded>>> lookups = new LinkedHashMap<>();
            for (ObjectNode f : frames) {
                String abs = minifiedFile(f);
                lookups.computeIfAbsent(abs, a -> load(project, a, debugIds.get(a), release)
                        .memoize()
                        .indefinitely());
            }
            Uni<Map<String, Optional<Loaded>>> all = Uni.createFrom().item(new HashMap<>());
            for (var e : lookups.entrySet()) {
                all = all.chain(found -> e.getValue().map(loaded -> {
                    found.put(e.getKey(), loaded);
                    return found;
                }));
            }
            return all.map(found -> {
                for (ObjectNode f : frames) {
                    found.get(minifiedFile(f)).ifPresent(loaded -> apply(f, loaded));
                }
                return event;
            });
        });
    }

    /**
     * The URL of the frame's minified file: its {@code absPath}, else its {@code filename}. The
     * browser SDKs send the URL as {@code filename} alone (Sentry's server copies it to {@code
     * abs_path}), and their debug images name it so.
     */
    private static String minifiedFile(JsonNode frame) {
        if (frame.path("absPath").isTextual()) {
            return frame.get("absPath").asText();
        }
        return frame.path("filename").isTextual() ? frame.get("filename").asText() : null;
    }

    /** The debug id of each minified file, from the images the SDK listed ({@code debug_meta}). */
    private static Map<String, UUID> debugIds(ObjectNode event) {
        Map<String, UUID> ids = new HashMap<>();
        for (JsonNode image : event.path("debugImages")) {
            String file = image.path("codeFile").asText(null);
            String id = image.path("debugId").asText(null);
            if (file != null && id != null) {
                try {
                    ids.put(file, ArtifactBundle.debugId(id, file));
                } catch (InvalidSourceMapException ignored) {
                    // an SDK's malformed id resolves by URL instead
                }
            }
        }
        return ids;
    }

    private Uni<Optional<Loaded>> load(String project, String absPath, UUID debugId, String release) {
        // an id no upload has (the build's upload failed, or went to another project) falls back
        // to the URL: a bundle uploaded without debug ids still resolves the frame
        Uni<Optional<SourceFileStore.StoredMap>> stored = debugId == null
                ? byUrl(project, absPath, release)
                : store.mapByDebugId(project, debugId)
                        .chain(found ->
                                found.isPresent() ? Uni.createFrom().item(found) : byUrl(project, absPath, release));
        return stored.map(found -> found.flatMap(this::decoded));
    }

    private Uni<Optional<SourceFileStore.StoredMap>> byUrl(String project, String absPath, String release) {
        return store.minified(project, candidates(absPath), release).chain(min -> {
            if (min.isEmpty()) {
                return Uni.createFrom().item(Optional.<SourceFileStore.StoredMap>empty());
            }
            SourceFileStore.Minified m = min.get();
            if (m.debugId() != null) {
                return store.mapByDebugId(project, m.debugId());
            }
            String mapUrl = m.sourcemap() != null ? relative(m.url(), m.sourcemap()) : m.url() + ".map";
            return store.mapAt(project, m.bundle(), mapUrl);
        });
    }

    private Optional<Loaded> decoded(SourceFileStore.StoredMap stored) {
        String key = stored.bundle() + '|' + stored.url();
        SourceMap map;
        synchronized (cache) {
            map = cache.get(key);
        }
        if (map == null) {
            try {
                map = SourceMap.parse(stored.content(), json);
            } catch (InvalidSourceMapException e) {
                LOG.warnf(
                        "source map %s of bundle %s cannot be read: %s", stored.url(), stored.bundle(), e.getMessage());
                return Optional.empty();
            }
            synchronized (cache) {
                cache.put(key, map);
            }
        }
        return Optional.of(new Loaded(map, stored.url()));
    }

    /**
     * The names a minified file's URL may have been uploaded under: the URL itself, then {@code
     * ~/path} (sentry-cli's default prefix), then shorter tails of the path for an app served
     * below a prefix the upload did not have.
     */
    static List<String> candidates(String absPath) {
        String url = absPath;
        int cut = indexOfAny(url, '?', '#');
        if (cut >= 0) {
            url = url.substring(0, cut);
        }
        List<String> names = new ArrayList<>();
        names.add(url);
        String path = url;
        int scheme = url.indexOf("://");
        if (scheme >= 0) {
            int slash = url.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : url.substring(slash);
        }
        if (path.startsWith("/")) {
            String tail = path;
            for (int i = 0; i < 4 && tail.indexOf('/', 1) > 0; i++) {
                names.add("~" + tail);
                tail = tail.substring(tail.indexOf('/', 1));
            }
            names.add("~" + tail);
        }
        return names;
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : (j < 0 ? i : Math.min(i, j));
    }

    /** {@code ref} (a source map's name for a file) against the URL of the file that names it. */
    static String relative(String base, String ref) {
        if (ref.contains("://") || ref.startsWith("~/")) {
            return ref;
        }
        String root;
        String dir;
        int scheme = base.indexOf("://");
        if (base.startsWith("~/")) {
            root = "~";
            dir = base.substring(1);
        } else if (scheme >= 0) {
            int slash = base.indexOf('/', scheme + 3);
            root = slash < 0 ? base : base.substring(0, slash);
            dir = slash < 0 ? "/" : base.substring(slash);
        } else {
            root = "";
            dir = base;
        }
        if (ref.startsWith("/")) {
            return root + normalize(ref);
        }
        return root + normalize(dir.substring(0, dir.lastIndexOf('/') + 1) + ref);
    }

    /** Removes {@code .} and {@code ..} segments; a {@code ..} above the root stays at the root. */
    private static String normalize(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/", -1)) {
            if (p.equals("..")) {
                if (parts.size() > 1) {
                    parts.remove(parts.size() - 1);
                }
            } else if (!p.equals(".") && !(p.isEmpty() && !parts.isEmpty())) {
                parts.add(p);
            }
        }
        String joined = String.join("/", parts);
        return path.endsWith("/") ? joined + "/" : joined;
    }

    /** A source as the SRE reads it: no bundler scheme ({@code webpack://app/}), no leading {@code ./}. */
    static String displayName(String source) {
        String s = source;
        int scheme = s.indexOf("://");
        if (scheme >= 0 && !s.startsWith("http")) {
            s = s.substring(scheme + 3);
            int slash = s.indexOf('/');
            s = slash >= 0 ? s.substring(slash + 1) : s;
        }
        while (s.startsWith("./") || s.startsWith("../")) {
            s = s.substring(s.indexOf('/') + 1);
        }
        if (s.startsWith("~/")) {
            s = s.substring(2);
        }
        return s;
    }

    private void apply(ObjectNode frame, Loaded loaded) {
        int line = frame.get("lineno").asInt() - 1;
        int column = frame.get("colno").asInt() - 1;
        Optional<SourceMap.Original> found = loaded.map().lookup(line, column);
        if (found.isEmpty() || found.get().source() == null) {
            return;
        }
        SourceMap.Original o = found.get();
        ObjectNode minified = json.createObjectNode();
        for (String field : List.of("filename", "absPath", "function", "lineno", "colno", "contextLine")) {
            minified.set(field, frame.get(field));
        }
        String source = relative(loaded.url(), o.source());
        frame.set("minified", minified);
        frame.put("absPath", source);
        frame.put("filename", displayName(o.source()));
        frame.put("lineno", o.line() + 1);
        frame.put("colno", o.column() + 1);
        frame.put("sourcemap", loaded.url());
        if (o.source().contains("node_modules/")) {
            frame.put("inApp", false);
        }
        String[] lines = o.content() == null ? null : o.content().split("\r?\n", -1);
        String function = lines == null ? null : enclosingFunction(lines, o.line());
        if (function != null) {
            frame.put("function", function);
        }
        if (lines != null && o.line() < lines.length) {
            frame.put("contextLine", cut(lines[o.line()]));
            ArrayNode pre = frame.putArray("preContext");
            for (int i = Math.max(0, o.line() - CONTEXT); i < o.line(); i++) {
                pre.add(cut(lines[i]));
            }
            ArrayNode post = frame.putArray("postContext");
            for (int i = o.line() + 1; i <= Math.min(lines.length - 1, o.line() + CONTEXT); i++) {
                post.add(cut(lines[i]));
            }
        } else {
            frame.putNull("contextLine");
        }
    }

    private static String cut(String line) {
        return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE) + "…";
    }

    /**
     * The name of the function the line is in, from the nearest declaration above it in the
     * original source: {@code function f(}, {@code const f = (…) =>}, or a method {@code f(…) {}}.
     * A heuristic (no parser): a map's token names are those of the expression at the position, a
     * called function's or a thrown class's, not the enclosing function's. Null when none is found.
     */
    static String enclosingFunction(String[] lines, int line) {
        for (int i = Math.min(line, lines.length - 1); i >= 0 && i >= line - NAME_SEARCH_LINES; i--) {
            String text = lines[i];
            if (text.length() > 2000) {
                continue;
            }
            Matcher m = FUNCTION.matcher(text);
            String name = null;
            while (m.find()) {
                for (int g = 1; g <= 3; g++) {
                    if (m.group(g) != null && !NOT_NAMES.contains(m.group(g))) {
                        name = m.group(g);
                    }
                }
            }
            if (name != null) {
                return name;
            }
        }
        return null;
    }
}
