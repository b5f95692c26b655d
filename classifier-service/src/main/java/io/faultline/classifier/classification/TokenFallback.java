package io.faultline.classifier.classification;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The learned fallback: a linear model per field (category, severity) over the tokens of an event
 * (exception types split into words, their simple names and packages, the words of the message and
 * exception values with hosts, URLs and numbers masked, level, platform, logger, transaction and
 * request path words, the HTTP status and its class, handled, background work, the workflow, the
 * words of the innermost in-app frames and the packages of the library/framework modules the error
 * passed through). Severity also reads the event's final category: the guide decides severity largely by
 * what broke. It is trained on the labelled set and the training sets beside it and shipped as
 * {@value #RESOURCE}; {@link EventClassifier} asks it only for a field no rule decided confidently
 * (the rule reached was the file's default or a rule marked {@code generic: true}), and takes its
 * answer only when its probability is at least {@link #minProbability()}; the field then names
 * {@value #MODEL_RULE_ID} as its decider.
 *
 * <p>The model is a multinomial logistic regression (softmax, L2-regularised, trained by
 * full-batch AdaGrad in a fixed order, so the same events give the same weights). Naive Bayes, its
 * predecessor, is kept as {@link Kind#NAIVE_BAYES} for the evaluation to compare against; both
 * are a bias per class plus a weight per token and class, which is what the file holds.
 *
 * <p>The tokens read only what {@link ClassificationCache.Key} holds (digits are never told
 * apart; request path, in-app frames and framework modules enter the key as {@link
 * #contextKey}), so a cached answer is still the one the model would give.
 *
 * <p>Workflow and business impact are the guide's procedures over the decided fields, not guesses:
 * the model never decides them.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class TokenFallback {

    public static final String MODEL_RULE_ID = "model:lr";
    static final String RESOURCE = "classification-model.tsv";
    /** Fields the model may decide, in the order of {@link ClassificationEvaluation#LABELS}. */
    static final List<String> FIELDS = List.of("severity", "category");

    static final int SEVERITY = 0;
    static final int CATEGORY = 1;

    /** Tokens seen in fewer training events carry no evidence, only memory of one event. */
    static final int MIN_EVENTS_PER_TOKEN = 2;

    /** Weights are kept in units of 1/{@value}, so a model read from its file is the model trained. */
    private static final double SCALE = 10_000.0;

    private static final int MAX_TEXT = 512;
    private static final int IN_APP_FRAMES_READ = 3;

    /** How the weights are learned. */
    enum Kind {
        LOGISTIC,
        NAIVE_BAYES
    }

    /**
     * A model's training settings and its decision threshold, chosen by the evaluation protocol's
     * cross-validated and leave-one-file-out figures (docs/classification.md), never by a blind set.
     *
     * @param minProbability the probability the best class needs for the model to decide a field
     * @param severityGivenCategory whether severity reads the final category as a token
     * @param overrulesAnyRule whether the model may decide a field a confident rule decided (an
     *     operator's override still wins); off as shipped: on the labelled set the rules are tuned,
     *     so only leave-one-file-out on other writers' files can tell whether it helps
     */
    record Config(
            Kind kind,
            double l2,
            int iterations,
            double learningRate,
            double alpha,
            double minProbability,
            boolean severityGivenCategory,
            boolean overrulesAnyRule) {

        Config withMinProbability(double p) {
            return new Config(kind, l2, iterations, learningRate, alpha, p, severityGivenCategory, overrulesAnyRule);
        }

        Config overrulingAnyRule() {
            return new Config(kind, l2, iterations, learningRate, alpha, minProbability, severityGivenCategory, true);
        }
    }

    /**
     * Chosen by the protocol on the 628 labelled events, before the training sets (docs/classification.md); kept after them, where thresholds from 0.5 to 0.95 lie within 0.3 points; never by a blind
     * set: logistic regression rather than naive Bayes (the model alone, leave-one-batch-out, gets
     * 67% of severities and 69% of categories right against 62% and 65%, and its probabilities are
     * calibrated well enough to decide below 0.95); of the thresholds 0.5 to 0.95, 0.8 and 0.95 tie
     * for the best severity plus category, cross-validated and leave-one-batch-out, and 0.8 lets
     * the model decide more (re-run {@code --evaluate --sweep} when the training sets grow).
     */
    static final Config DEFAULT = new Config(Kind.LOGISTIC, 1e-4, 200, 0.5, 1.0, 0.8, true, false);

    private final Config config;
    /** Per field: class names, bias per class, token -> weight per class; weights in 1/SCALE. */
    private final String[][] classes;

    private final long[][] bias;
    private final List<TreeMap<String, long[]>> weights;
    /** The same weights as doubles, for scoring. */
    private final double[][] biasD;

    private final List<Map<String, double[]>> weightsD;

    private TokenFallback(Config config, String[][] classes, long[][] bias, List<TreeMap<String, long[]>> weights) {
        this.config = config;
        this.classes = classes;
        this.bias = bias;
        this.weights = weights;
        this.biasD = new double[FIELDS.size()][];
        this.weightsD = new ArrayList<>();
        for (int f = 0; f < FIELDS.size(); f++) {
            biasD[f] = unscale(bias[f]);
            Map<String, double[]> w = new HashMap<>(weights.get(f).size() * 2);
            weights.get(f).forEach((token, q) -> w.put(token, unscale(q)));
            weightsD.add(w);
        }
    }

    private static double[] unscale(long[] q) {
        double[] d = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            d[i] = q[i] / SCALE;
        }
        return d;
    }

    /** The same model deciding at another threshold (the evaluation's policy comparison). */
    TokenFallback withMinProbability(double p) {
        return new TokenFallback(config.withMinProbability(p), classes, bias, weights);
    }

    double minProbability() {
        return config.minProbability();
    }

    /** Whether the model may decide a field whatever rule decided it (see {@link Config}). */
    boolean overrulesAnyRule() {
        return config.overrulesAnyRule();
    }

    /** Trains on labelled events as shipped: the same events give the same model, weight for weight. */
    static TokenFallback train(List<ClassificationEvaluation.Labelled> training) {
        return train(training, DEFAULT);
    }

    static TokenFallback train(List<ClassificationEvaluation.Labelled> training, Config config) {
        List<List<String>> base = new ArrayList<>(training.size());
        for (ClassificationEvaluation.Labelled e : training) {
            base.add(tokens(ClassificationInput.from(e.event(), "training", null), e.expected()[3]));
        }
        String[][] classes = new String[FIELDS.size()][];
        long[][] bias = new long[FIELDS.size()][];
        List<TreeMap<String, long[]>> weights = new ArrayList<>();
        for (int f = 0; f < FIELDS.size(); f++) {
            int label = ClassificationEvaluation.labelIndex(FIELDS.get(f));
            int categoryLabel = ClassificationEvaluation.labelIndex("category");
            TreeSet<String> names = new TreeSet<>();
            List<List<String>> xs = new ArrayList<>();
            List<String> ys = new ArrayList<>();
            for (int i = 0; i < training.size(); i++) {
                String value = training.get(i).expected()[label];
                if (value == null) {
                    continue;
                }
                names.add(value);
                List<String> tokens = base.get(i);
                if (f == SEVERITY && config.severityGivenCategory()) {
                    tokens = withCategory(tokens, training.get(i).expected()[categoryLabel]);
                }
                xs.add(tokens);
                ys.add(value);
            }
            classes[f] = names.toArray(String[]::new);
            Map<String, Integer> eventsPerToken = new HashMap<>();
            xs.forEach(tokens -> tokens.forEach(t -> eventsPerToken.merge(t, 1, Integer::sum)));
            TreeSet<String> vocabulary = new TreeSet<>();
            eventsPerToken.forEach((t, n) -> {
                if (n >= MIN_EVENTS_PER_TOKEN) {
                    vocabulary.add(t);
                }
            });
            List<String> vocab = new ArrayList<>(vocabulary);
            Map<String, Integer> index = new HashMap<>();
            for (int v = 0; v < vocab.size(); v++) {
                index.put(vocab.get(v), v);
            }
            int[][] x = new int[xs.size()][];
            int[] y = new int[xs.size()];
            List<String> classList = Arrays.asList(classes[f]);
            for (int i = 0; i < xs.size(); i++) {
                x[i] = xs.get(i).stream()
                        .filter(index::containsKey)
                        .mapToInt(index::get)
                        .toArray();
                y[i] = classList.indexOf(ys.get(i));
            }
            double[] b = new double[classes[f].length];
            double[][] w = new double[vocab.size()][classes[f].length];
            if (x.length > 0) {
                if (config.kind() == Kind.LOGISTIC) {
                    logistic(x, y, b, w, config);
                } else {
                    naiveBayes(x, y, b, w, config.alpha());
                }
            }
            bias[f] = quantise(b);
            TreeMap<String, long[]> byToken = new TreeMap<>();
            for (int v = 0; v < vocab.size(); v++) {
                long[] q = quantise(w[v]);
                if (Arrays.stream(q).anyMatch(n -> n != 0)) {
                    byToken.put(vocab.get(v), q);
                }
            }
            weights.add(byToken);
        }
        return new TokenFallback(config, classes, bias, weights);
    }

    private static long[] quantise(double[] d) {
        long[] q = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            q[i] = Math.round(d[i] * SCALE);
        }
        return q;
    }

    /**
     * Softmax regression minimising the mean cross-entropy plus {@code l2/2 |w|^2} by full-batch
     * AdaGrad: no shuffling, sums in a fixed order, hence deterministic. Small data (a few thousand
     * events) makes full batches cheap, and AdaGrad's per-token steps suit rare tokens.
     */
    private static void logistic(int[][] x, int[] y, double[] b, double[][] w, Config config) {
        int k = b.length;
        int n = x.length;
        double[] gb = new double[k];
        double[][] g = new double[w.length][k];
        double[] hb = new double[k];
        double[][] h = new double[w.length][k];
        double[] p = new double[k];
        double eps = 1e-8;
        for (int it = 0; it < config.iterations(); it++) {
            Arrays.fill(gb, 0);
            for (double[] row : g) {
                Arrays.fill(row, 0);
            }
            for (int i = 0; i < n; i++) {
                System.arraycopy(b, 0, p, 0, k);
                for (int t : x[i]) {
                    for (int c = 0; c < k; c++) {
                        p[c] += w[t][c];
                    }
                }
                softmax(p);
                p[y[i]] -= 1;
                for (int c = 0; c < k; c++) {
                    gb[c] += p[c];
                }
                for (int t : x[i]) {
                    for (int c = 0; c < k; c++) {
                        g[t][c] += p[c];
                    }
                }
            }
            for (int c = 0; c < k; c++) {
                double grad = gb[c] / n;
                hb[c] += grad * grad;
                b[c] -= config.learningRate() * grad / (StrictMath.sqrt(hb[c]) + eps);
            }
            for (int t = 0; t < w.length; t++) {
                for (int c = 0; c < k; c++) {
                    double grad = g[t][c] / n + config.l2() * w[t][c];
                    h[t][c] += grad * grad;
                    w[t][c] -= config.learningRate() * grad / (StrictMath.sqrt(h[t][c]) + eps);
                }
            }
        }
    }

    /** Multinomial naive Bayes with additive smoothing, written as the same linear form. */
    private static void naiveBayes(int[][] x, int[] y, double[] b, double[][] w, double alpha) {
        int k = b.length;
        double[] events = new double[k];
        double[] tokens = new double[k];
        double[][] counts = new double[w.length][k];
        for (int i = 0; i < x.length; i++) {
            events[y[i]]++;
            for (int t : x[i]) {
                counts[t][y[i]]++;
                tokens[y[i]]++;
            }
        }
        for (int c = 0; c < k; c++) {
            b[c] = StrictMath.log(events[c] / x.length);
            for (int t = 0; t < w.length; t++) {
                w[t][c] = StrictMath.log((counts[t][c] + alpha) / (tokens[c] + alpha * (w.length + 1)));
            }
        }
    }

    /**
     * In training, StrictMath: Math.exp may differ by an ulp between JVMs and between interpreted
     * and compiled code, and the shipped file must be the same wherever the stale-model test runs.
     */
    private static void softmax(double[] s) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : s) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int c = 0; c < s.length; c++) {
            s[c] = StrictMath.exp(s[c] - max);
            sum += s[c];
        }
        for (int c = 0; c < s.length; c++) {
            s[c] /= sum;
        }
    }

    /** The model shipped in the classifier's resources, read once (it is immutable). */
    public static TokenFallback shipped() {
        return Shipped.MODEL;
    }

    private static final class Shipped {
        static final TokenFallback MODEL = load();
    }

    private static TokenFallback load() {
        try (InputStream in = TokenFallback.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classification model missing from the classpath: " + RESOURCE);
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A field's answer: the class and its probability. */
    record Guess(String value, double probability) {}

    /**
     * The model's answer for a field, or null when it has no class for it or its best class is
     * below {@link #minProbability()}.
     *
     * @param field {@link #SEVERITY} or {@link #CATEGORY}
     */
    Guess guess(int field, List<String> tokens) {
        Guess best = best(field, tokens);
        return best == null || best.probability() < config.minProbability() ? null : best;
    }

    /** The best class and its probability, however low (for --explain). */
    Guess best(int field, List<String> tokens) {
        String[] names = classes[field];
        if (names.length == 0) {
            return null;
        }
        double[] score = biasD[field].clone();
        Map<String, double[]> w = weightsD.get(field);
        for (String token : tokens) {
            double[] lp = w.get(token);
            if (lp == null) {
                continue; // a token never trained on says nothing about any class
            }
            for (int c = 0; c < score.length; c++) {
                score[c] += lp[c];
            }
        }
        int top = 0;
        for (int c = 1; c < score.length; c++) {
            if (score[c] > score[top]) {
                top = c;
            }
        }
        double sum = 0;
        for (double s : score) {
            sum += Math.exp(s - score[top]);
        }
        return new Guess(names[top], 1.0 / sum);
    }

    /** The tokens severity reads: the event's, and the category finally decided for it. */
    List<String> severityTokens(List<String> tokens, Category category) {
        return config.severityGivenCategory() ? withCategory(tokens, category.wireName()) : tokens;
    }

    private static List<String> withCategory(List<String> tokens, String category) {
        List<String> out = new ArrayList<>(tokens.size() + 1);
        out.addAll(tokens);
        out.add("cat:" + category);
        return out;
    }

    /**
     * The event's tokens, each once: the model reads whether a token occurs, which suits short
     * texts better than counting repeats.
     *
     * @param workflow the workflow decided for the event, or null
     */
    static List<String> tokens(ClassificationInput input, String workflow) {
        Set<String> tokens = new LinkedHashSet<>();
        tokens.add("platform:" + input.platform());
        tokens.add("level:" + input.level());
        tokens.add("workflow:" + workflow);
        tokens.add(input.background() ? "background" : "request");
        if (input.handled() != null) {
            tokens.add(input.handled() ? "handled" : "unhandled");
        }
        if (input.httpStatus() != null) {
            int status = input.httpStatus();
            tokens.add("status:" + status);
            tokens.add("status:" + status / 100 + "xx");
        }
        if (input.exceptions().isEmpty()) {
            tokens.add("noexception");
        }
        for (ClassificationInput.ExceptionInfo e : input.exceptions()) {
            if (e.type() != null) {
                typeTokens(e.type(), tokens);
            }
            text(e.value(), "w:", tokens);
        }
        text(input.message(), "w:", tokens);
        words(input.logger(), "lg:", tokens);
        words(input.transaction(), "tx:", tokens);
        contextTokens(input, tokens);
        return List.copyOf(tokens);
    }

    /**
     * What the model reads beyond the classification cache's other key fields: the request path's
     * words, the innermost in-app frames' words and the framework modules' packages. Digits are
     * never read, so ids in a path do not tell events apart.
     */
    static void contextTokens(ClassificationInput input, Set<String> into) {
        words(input.requestPath(), "u:", into);
        List<String> inApp = input.inAppFrames();
        if (!inApp.isEmpty()) {
            into.add("inapp");
        }
        for (int i = 0; i < inApp.size() && i < IN_APP_FRAMES_READ; i++) {
            words(inApp.get(i), "fa:", into);
        }
        for (String module : input.frameworkModules()) {
            packageTokens(module, into);
        }
    }

    /**
     * The part of an event {@link #contextTokens} reads, for the classification cache's key: the
     * in-app frames as given (they name code, the same for every request through it) and the
     * request path's words this model has weights for; the library modules are in the key
     * whatever the model (rules read them too). A path word it never trained on adds nothing to any
     * class's score, so leaving it out keeps a cached answer exact, while the ids, UUIDs and slugs
     * of request paths (whose letters are words too) no longer make every request a key of its own.
     */
    List<String> contextKey(ClassificationInput input) {
        List<String> key = new ArrayList<>();
        if (input.requestPath() != null) {
            Set<String> path = new LinkedHashSet<>();
            words(input.requestPath(), "u:", path);
            for (String word : path) {
                if (known(word)) {
                    key.add(word);
                }
            }
        }
        List<String> inApp = input.inAppFrames();
        key.addAll(inApp.size() > IN_APP_FRAMES_READ ? inApp.subList(0, IN_APP_FRAMES_READ) : inApp);
        return key;
    }

    private boolean known(String token) {
        for (Map<String, double[]> field : weightsD) {
            if (field.containsKey(token)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A library's package: its first one and two segments ({@code fw:django}, {@code
     * fw:django.db}); for a file path, the package after {@code site-packages/}, {@code
     * node_modules/}, {@code vendor/} or {@code gems/}, else the file's name. Which library the
     * error passed through says what broke; the rest of the module name is noise.
     */
    static void packageTokens(String module, Set<String> into) {
        int slash = Math.max(module.lastIndexOf('/'), module.lastIndexOf('\\'));
        if (slash < 0) {
            int dot = module.indexOf('.');
            int second = dot < 0 ? -1 : module.indexOf('.', dot + 1);
            String first = (dot < 0 ? module : module.substring(0, dot)).toLowerCase(Locale.ROOT);
            into.add("fw:" + first);
            if (dot > 0) {
                into.add("fw:" + first + "."
                        + module.substring(dot + 1, second < 0 ? module.length() : second)
                                .toLowerCase(Locale.ROOT));
            }
            return;
        }
        int start = -1;
        for (String marker : PACKAGE_DIRS) {
            // the innermost: vendor/bundle/ruby/3.3.0/gems/activerecord-7.1.2 is activerecord's
            int at = module.lastIndexOf(marker);
            start = at < 0 ? start : Math.max(start, at + marker.length());
        }
        if (start >= 0 && start < module.length()) {
            int end = module.indexOf('/', start);
            if (end > start && module.charAt(start) == '@') {
                end = module.indexOf('/', end + 1); // a scoped npm package: @scope/name
            }
            String name = module.substring(start, end < 0 ? module.length() : end);
            // gems/activerecord-7.1.2: the version says nothing about what broke
            for (int i = 1; i + 1 < name.length(); i++) {
                if (name.charAt(i) == '-' && Character.isDigit(name.charAt(i + 1))) {
                    name = name.substring(0, i);
                    break;
                }
            }
            into.add("fw:" + name.toLowerCase(Locale.ROOT));
            return;
        }
        words(module.substring(slash + 1), "fw:", into);
    }

    private static final String[] PACKAGE_DIRS = {"site-packages/", "node_modules/", "vendor/", "gems/"};

    /**
     * A type's tokens: the type as given, its simple name, its package's first two segments and
     * every word of it (split at {@code .}, {@code ::}, {@code \}, {@code /}, camelCase and
     * digits), so {@code Stripe::CardError} reads as stripe, card, error like {@code
     * stripe.error.CardError} does.
     */
    static void typeTokens(String type, Set<String> into) {
        into.add("type:" + type);
        int simple = 0;
        int firstSep = -1;
        int secondSep = -1;
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (c == '.' || c == ':' || c == '\\' || c == '/') {
                simple = i + 1;
                if (firstSep < 0) {
                    firstSep = i;
                } else if (secondSep < 0 && i > firstSep + 1) {
                    secondSep = i;
                }
            }
        }
        if (simple < type.length()) {
            into.add("ts:" + type.substring(simple).toLowerCase(Locale.ROOT));
        }
        if (firstSep > 0) {
            into.add("pk:" + type.substring(0, firstSep).toLowerCase(Locale.ROOT));
            if (secondSep > 0) {
                into.add("pk:"
                        + type.substring(0, firstSep).toLowerCase(Locale.ROOT)
                        + "."
                        + type.substring(type.charAt(firstSep + 1) == ':' ? firstSep + 2 : firstSep + 1, secondSep)
                                .toLowerCase(Locale.ROOT));
            }
        }
        words(type, "tw:", into);
    }

    /**
     * A message's words (word pairs were measured and did not help). Chunks (between spaces) that
     * name a URL, an e-mail address, a file path, a hex id (UUID, hash) or a host are read as
     * {@code w:#url}, {@code w:#email}, {@code w:#path}, {@code w:#id}, {@code w:#host} rather than
     * their words, which identify one deployment or one event; numbers are dropped.
     */
    static void text(String text, String prefix, Set<String> into) {
        if (text == null) {
            return;
        }
        int end = Math.min(text.length(), MAX_TEXT);
        int i = 0;
        while (i < end) {
            while (i < end && isSpace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < end && !isSpace(text.charAt(i))) {
                i++;
            }
            if (start == i) {
                break;
            }
            String mask = mask(text, start, i);
            if (mask != null) {
                into.add(prefix + mask);
                continue;
            }
            for (String w : WorkflowKeywords.words(text.substring(start, i))) {
                // digits are ids, counts and durations, and the classification cache zeroes them
                if (w.length() >= 3 && !Character.isDigit(w.charAt(0))) {
                    into.add(prefix + w);
                }
            }
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r';
    }

    /** {@code #url}, {@code #email}, {@code #path}, {@code #id} or {@code #host} for such a chunk of text, else null. */
    private static String mask(String text, int start, int end) {
        // quotes, brackets and a trailing colon or comma around a host are not part of it
        while (start < end && "\"'([<{`".indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && "\"')]>},;.`".indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        if (end - start < 4) {
            return null;
        }
        if (indexOf(text, "://", start, end) >= 0) {
            return "#url";
        }
        int at = indexOf(text, "@", start, end);
        if (at > start && indexOf(text, ".", at, end) > at + 1) {
            return "#email";
        }
        int dots = 0;
        int slashes = 0;
        boolean colon = false;
        boolean letters = false;
        boolean digits = false;
        boolean hex = true;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (Character.isDigit(c)) {
                digits = true;
            } else if (c != '-' && Character.digit(c, 16) < 0) {
                hex = false;
            }
            if (c == '.') {
                dots++;
            } else if (c == '/') {
                slashes++;
            } else if (c == ':') {
                colon = true;
            } else if (Character.isLetter(c)) {
                letters = true;
            } else if (!Character.isDigit(c) && c != '-' && c != '_') {
                return null;
            }
        }
        if (slashes >= 2 && text.charAt(start) == '/') {
            return "#path";
        }
        if (hex && digits && letters && end - start >= 8) {
            // a UUID, a hash, a trace id: 3f2a9c1e-7b4d-..., deadbeef01
            return "#id";
        }
        if (slashes == 0 && dots >= 1 && (!letters || colon || dots >= 2 && hostName(text, start, end))) {
            // 10.0.0.7, db.internal:5432, api.stripe.com; one dot and no port (user.name) stays words
            return "#host";
        }
        return null;
    }

    private static final Set<String> HOST_SUFFIXES =
            Set.of("internal", "local", "localhost", "cluster", "svc", "cloud");

    /**
     * Whether a dotted name without a port is a host rather than a qualified type or package
     * (java.net.ConnectException, django.db.utils, whose words say what broke): no capitals, and its
     * last label a top-level domain's length or a private network's suffix.
     */
    private static boolean hostName(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (Character.isUpperCase(text.charAt(i))) {
                return false;
            }
        }
        String last = text.substring(text.lastIndexOf('.', end - 1) + 1, end);
        return last.length() >= 2 && last.length() <= 3 || HOST_SUFFIXES.contains(last);
    }

    private static int indexOf(String text, String what, int start, int end) {
        int at = text.indexOf(what, start);
        return at >= 0 && at < end ? at : -1;
    }

    private static void words(String text, String prefix, Set<String> into) {
        if (text == null) {
            return;
        }
        String bounded = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
        for (String w : WorkflowKeywords.words(bounded)) {
            if (w.length() >= 3 && !Character.isDigit(w.charAt(0))) {
                into.add(prefix + w);
            }
        }
    }

    // ----- the data file: the classes and bias per field, then per field and token the weights

    private static final String HEADER =
            "# Faultline classification fallback (a linear model per field; weights in 1/10000),"
                    + " generated by TokenFallback.main from labelled-events.jsonl and the training-set-*.jsonl beside it:"
                    + " do not edit, regenerate. TokenFallbackTest fails when this file is stale"
                    + " (./faultline classify --train-model).";

    String write() {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        out.append("kind\t")
                .append(config.kind().name().toLowerCase(Locale.ROOT))
                .append('\n');
        for (int f = 0; f < FIELDS.size(); f++) {
            out.append("classes\t")
                    .append(FIELDS.get(f))
                    .append('\t')
                    .append(String.join(",", classes[f]))
                    .append('\n');
            out.append("bias\t").append(FIELDS.get(f)).append('\t');
            join(bias[f], out);
        }
        for (int f = 0; f < FIELDS.size(); f++) {
            for (Map.Entry<String, long[]> t : weights.get(f).entrySet()) {
                out.append("weight\t")
                        .append(FIELDS.get(f))
                        .append('\t')
                        .append(t.getKey())
                        .append('\t');
                join(t.getValue(), out);
            }
        }
        return out.toString();
    }

    private static void join(long[] values, StringBuilder out) {
        for (int i = 0; i < values.length; i++) {
            out.append(i == 0 ? "" : ",").append(values[i]);
        }
        out.append('\n');
    }

    static TokenFallback read(InputStream in) throws IOException {
        String[][] classes = new String[FIELDS.size()][];
        long[][] bias = new long[FIELDS.size()][];
        List<TreeMap<String, long[]>> weights = new ArrayList<>();
        Kind kind = Kind.LOGISTIC;
        for (int f = 0; f < FIELDS.size(); f++) {
            classes[f] = new String[0];
            bias[f] = new long[0];
            weights.add(new TreeMap<>());
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int n = 0;
        while ((line = reader.readLine()) != null) {
            n++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\t", -1);
            int field = FIELDS.indexOf(parts.length > 1 ? parts[1] : "");
            try {
                if (parts[0].equals("kind") && parts.length == 2) {
                    kind = Kind.valueOf(parts[1].toUpperCase(Locale.ROOT));
                } else if (parts[0].equals("classes") && parts.length == 3 && field >= 0) {
                    classes[field] = parts[2].isEmpty() ? new String[0] : parts[2].split(",");
                } else if (parts[0].equals("bias") && parts.length == 3 && field >= 0) {
                    bias[field] = numbers(parts[2], classes[field].length);
                } else if (parts[0].equals("weight") && parts.length == 4 && field >= 0) {
                    weights.get(field).put(parts[2], numbers(parts[3], classes[field].length));
                } else {
                    throw new IOException(RESOURCE + ":" + n + ": not a model line");
                }
            } catch (IllegalArgumentException e) {
                throw new IOException(RESOURCE + ":" + n + ": bad " + parts[0] + ": " + e.getMessage(), e);
            }
        }
        for (int f = 0; f < FIELDS.size(); f++) {
            if (bias[f].length != classes[f].length) {
                throw new IOException(RESOURCE + ": no bias for the classes of " + FIELDS.get(f));
            }
        }
        // the training settings do not matter once trained; the decision policy is the shipped one
        Config config = new Config(
                kind,
                DEFAULT.l2(),
                DEFAULT.iterations(),
                DEFAULT.learningRate(),
                DEFAULT.alpha(),
                DEFAULT.minProbability(),
                DEFAULT.severityGivenCategory(),
                DEFAULT.overrulesAnyRule());
        return new TokenFallback(config, classes, bias, weights);
    }

    private static long[] numbers(String text, int expected) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        String[] parts = text.split(",");
        if (parts.length != expected) {
            throw new IllegalArgumentException(parts.length + " values for " + expected + " classes");
        }
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Long.parseLong(parts[i]);
        }
        return out;
    }

    /**
     * Regenerates the shipped model: {@code TokenFallback LABELLED.jsonl OUT.tsv} trains on the
     * labelled set and every {@code training-set-*.jsonl} in its directory (the module's {@code
     * src/test/resources/} and {@code src/main/resources/}{@value #RESOURCE}).
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: TokenFallback LABELLED.jsonl OUT.tsv");
            System.exit(2);
        }
        List<Path> files = ClassificationEvaluation.trainingFiles(Path.of(args[0]));
        String model = train(ClassificationEvaluation.loadAll(files)).write();
        Files.writeString(Path.of(args[1]), model, StandardCharsets.UTF_8);
        System.out.println("wrote " + args[1] + " (" + model.lines().count() + " lines) from "
                + files.stream().map(p -> p.getFileName().toString()).toList());
    }
}
