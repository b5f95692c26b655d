package io.faultline.classifier.grouping.fingerprint;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names frames the same way across builds, JVM runs and deployments. Runtimes mint names for
 * generated code (lambdas, proxies, enhancers, anonymous classes, bundler chunks) whose suffix
 * changes with class-loading order or the build; left in place, one bug would open a new group per
 * deploy or per restart. Each rule keeps a readable marker ({@code $$Lambda}, {@code $Proxy}) so a
 * frame still says it went through generated code.
 *
 * <p>Line and column numbers are never part of a frame's identity: adding a line above the crash
 * must not split a group.
 */
public final class FrameNormalizer {

    /** @param marker text every match contains; checking it first skips most regex runs */
    private record Rewrite(String marker, Pattern pattern, String replacement) {
        String apply(String text) {
            return text.contains(marker) ? pattern.matcher(text).replaceAll(replacement) : text;
        }
    }

    private static Rewrite rewrite(String marker, String regex, String replacement) {
        return new Rewrite(marker, Pattern.compile(regex), replacement);
    }

    /**
     * Applied to both the module (class) and the function, in this order: the specific forms first,
     * so the generic anonymous-class rule at the end only sees what is left.
     */
    private static final List<Rewrite> GENERATED_NAMES = List.of(
            // javac lambda bodies: lambda$book$0; the index shifts when a lambda is added above.
            rewrite("lambda$", "\\blambda\\$([\\w$]+?)\\$\\d+\\b", "lambda\\$$1"),
            // synthetic accessors: access$000, access$100
            rewrite("access$", "\\baccess\\$\\d+\\b", "access\\$"),
            // lambda classes: $$Lambda$123/0x0000000800123, $$Lambda/0x00007f..(JDK 21), $$Lambda$92.0x7f..
            rewrite("$$Lambda", "\\$\\$Lambda(?:[$/.](?:0x|x)?[0-9a-fA-F]+)*", "\\$\\$Lambda"),
            // Spring/CGLIB/Guice enhancers: $$EnhancerBySpringCGLIB$$1a2b3c4d, $$SpringCGLIB$$0
            rewrite("$$", "(\\$\\$(?:\\w*?CGLIB|EnhancerBy\\w+?|FastClassBy\\w+?))\\$\\$[0-9a-fA-F]+(?:_\\d+)?", "$1"),
            rewrite("CGLIB$", "\\bCGLIB\\$(\\w+?)\\$\\d+\\b", "CGLIB\\$$1"),
            // Hibernate (ByteBuddy) entity proxies: Booking$HibernateProxy$Kw3ZbVbB
            rewrite("$HibernateProxy$", "\\$HibernateProxy\\$\\w+", "\\$HibernateProxy"),
            rewrite("$", "\\$(ByteBuddy|MockitoMock|auxiliary)\\$\\w+", "\\$$1"),
            rewrite("$", "\\$(accessor|original)\\$\\w+", "\\$$1"),
            // Javassist proxies: Booking_$$_jvst7c2_1, Booking_$$_javassist_12
            rewrite("_$$_", "_\\$\\$_(jvst|javassist)[_0-9a-fA-F]*", "_\\$\\$_$1"),
            // JDK dynamic proxies: com.sun.proxy.$Proxy12 (JDK 8-15), jdk.proxy2.$Proxy45 (JDK 16+); the
            // package is the JDK's choice, not the application's, so it goes too
            rewrite("$Proxy", "^(?:[\\w.]*\\.)?\\$Proxy\\d+$", "\\$Proxy"),
            rewrite("$Proxy", "\\$Proxy\\d+", "\\$Proxy"),
            // Clojure fn__12345, Groovy closures, Kotlin lambdas
            rewrite("$", "\\$(fn|eval)_*\\d+", "\\$$1"),
            rewrite("closure", "(\\$_\\w*?closure)\\d+", "$1"),
            rewrite("$lambda", "\\$lambda[-$]\\d+", "\\$lambda"),
            // .NET compiler-generated state machines and closures: <Book>d__5, <>c__DisplayClass5_0
            rewrite("__", "<(\\w*)>([a-z])__\\d+(?:_\\d+)?", "<$1>$2"),
            rewrite("<>c__", "<>c__DisplayClass\\d+(?:_\\d+)?", "<>c__DisplayClass"),
            // Python: every lambda is "<lambda>"; some tools number them
            rewrite("<lambda", "<lambda_?\\d*>", "<lambda>"),
            // anonymous classes: BookingService$1, Outer$2$1 (renumbered when one is added above)
            rewrite("$", "\\$\\d+(?=$|[$.])", "\\$<anon>"));

    private static final Pattern URL_PREFIX = Pattern.compile("^[a-zA-Z][\\w+.-]*://[^/]*");
    private static final Pattern QUERY_OR_FRAGMENT = Pattern.compile("[?#].*$");
    private static final Pattern LEADING_DOTS_AND_SLASHES = Pattern.compile("^[./]+");
    // webpack/vite/next content hashes: main.3f2a9c1b.js, booking-3f2a9c1b8e7d6a5b.js
    private static final Pattern CONTENT_HASH =
            Pattern.compile("(?<=[.\\-_~])(?=[0-9a-fA-F]*\\d)[0-9a-fA-F]{7,}(?=[.\\-_]|$)");
    // numeric chunk ids of hashed bundles: 787.3f2a9c1b.chunk.js (renumbered between builds)
    private static final Pattern NUMERIC_CHUNK_ID = Pattern.compile("(^|/)\\d+(?=\\.<hash>)");

    public String module(String module) {
        if (isBlank(module)) {
            return null;
        }
        String normalized = generatedNames(module);
        return looksLikePath(normalized) ? bundleName(normalized) : normalized;
    }

    public String function(String function) {
        return isBlank(function) ? null : generatedNames(function);
    }

    /** A filename stripped of what varies per host and per build: scheme, host, query, content hash. */
    public String filename(String filename) {
        if (isBlank(filename)) {
            return null;
        }
        String path = URL_PREFIX.matcher(filename).replaceFirst("");
        path = QUERY_OR_FRAGMENT.matcher(path).replaceFirst("");
        path = LEADING_DOTS_AND_SLASHES.matcher(path).replaceFirst("");
        return bundleName(path);
    }

    /**
     * How a frame is named in components, {@code module.function} (the frame's module, or its
     * filename when the platform has no modules). Null when the frame carries no name at all.
     */
    public String frameName(GroupableEvent.Frame frame) {
        String function = function(frame.function());
        String module = module(frame.module());
        if (module != null) {
            return module + "." + (function == null ? "?" : function);
        }
        String file = filename(frame.filename());
        if (file != null) {
            return file + ":" + (function == null ? "?" : function);
        }
        return function;
    }

    /** An exception type with generated suffixes removed (anonymous or proxied exception classes). */
    public String type(String qualifiedType) {
        return isBlank(qualifiedType) ? null : generatedNames(qualifiedType);
    }

    private static String generatedNames(String name) {
        String result = name.strip();
        // every generated-name form contains '$' or '<'; most frames contain neither
        if (result.indexOf('$') < 0 && result.indexOf('<') < 0) {
            return result;
        }
        for (Rewrite rule : GENERATED_NAMES) {
            result = rule.apply(result);
        }
        return result;
    }

    private static String bundleName(String path) {
        String hashed = CONTENT_HASH.matcher(path).replaceAll("<hash>");
        Matcher chunk = NUMERIC_CHUNK_ID.matcher(hashed);
        return chunk.replaceAll("$1<chunk>");
    }

    private static boolean looksLikePath(String module) {
        return module.indexOf('/') >= 0 || module.endsWith(".js") || module.endsWith(".mjs");
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
