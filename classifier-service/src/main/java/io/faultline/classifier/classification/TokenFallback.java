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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The learned fallback: a multinomial naive Bayes per field (category, severity) over the tokens of
 * an event (exception types and their words, message and value words, level, platform, logger,
 * transaction words, the HTTP status, whether it was handled, background work, the workflow). It
 * is trained on the labelled set and shipped as {@value #RESOURCE}; {@link EventClassifier} asks
 * it only for a field no rule decided confidently (the rule reached was the file's default or a
 * rule marked {@code generic: true}), and takes its answer only when its posterior probability is
 * at least {@link #MIN_PROBABILITY}; the field then names {@value #MODEL_RULE_ID} as its decider.
 *
 * <p>The tokens are read only from what {@link ClassificationCache.Key} holds, with digits left
 * out, so a cached answer is still the one the model would give: the request path and the in-app
 * frames enter only through the transaction and the workflow they decide.
 *
 * <p>Workflow and business impact are the guide's procedures over the decided fields, not guesses:
 * the model never decides them.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class TokenFallback {

    public static final String MODEL_RULE_ID = "model:nb";
    static final String RESOURCE = "classification-model.tsv";
    /** Fields the model may decide, in the order of {@link ClassificationEvaluation#LABELS}. */
    static final List<String> FIELDS = List.of("severity", "category");
    /**
     * Posterior probability the best class needs: naive Bayes is over-confident on correlated
     * tokens, so only a clear winner overrules a generic rule.
     */
    static final double MIN_PROBABILITY = 0.95;
    /** Tokens seen in fewer training events carry no evidence, only memory of one event. */
    static final int MIN_EVENTS_PER_TOKEN = 2;

    private static final int MAX_TEXT = 512;

    /** Per field: class names, their log prior, and token -> log P(token | class) per class. */
    private final List<String[]> classes = new ArrayList<>();

    private final List<double[]> logPrior = new ArrayList<>();
    private final List<Map<String, double[]>> logLikelihood = new ArrayList<>();
    /** Counts as trained (field -> class -> token -> events), kept to write the file exactly. */
    private final List<TreeMap<String, TreeMap<String, Integer>>> counts;

    private final List<TreeMap<String, Integer>> classEvents;

    private TokenFallback(
            List<TreeMap<String, Integer>> classEvents, List<TreeMap<String, TreeMap<String, Integer>>> counts) {
        this.classEvents = classEvents;
        this.counts = counts;
        for (int f = 0; f < FIELDS.size(); f++) {
            TreeMap<String, Integer> events = classEvents.get(f);
            String[] names = events.keySet().toArray(String[]::new);
            int total = events.values().stream().mapToInt(Integer::intValue).sum();
            Set<String> vocabulary = new LinkedHashSet<>();
            counts.get(f).values().forEach(byToken -> vocabulary.addAll(byToken.keySet()));
            int v = vocabulary.size() + 1;
            double[] prior = new double[names.length];
            double[] denominators = new double[names.length];
            for (int c = 0; c < names.length; c++) {
                prior[c] = Math.log((double) events.get(names[c]) / total);
                int tokens = counts.get(f).getOrDefault(names[c], new TreeMap<>()).values().stream()
                        .mapToInt(Integer::intValue)
                        .sum();
                denominators[c] = tokens + v;
            }
            Map<String, double[]> likelihood = new HashMap<>();
            for (String token : vocabulary) {
                double[] lp = new double[names.length];
                for (int c = 0; c < names.length; c++) {
                    int n = counts.get(f)
                            .getOrDefault(names[c], new TreeMap<>())
                            .getOrDefault(token, 0);
                    lp[c] = Math.log((n + 1.0) / denominators[c]);
                }
                likelihood.put(token, lp);
            }
            classes.add(names);
            logPrior.add(prior);
            logLikelihood.add(likelihood);
        }
    }

    /** Trains on labelled events: the same events give the same model, token for token. */
    static TokenFallback train(List<ClassificationEvaluation.Labelled> training) {
        List<List<String>> tokensByEvent = new ArrayList<>(training.size());
        Map<String, Integer> eventsPerToken = new HashMap<>();
        for (ClassificationEvaluation.Labelled e : training) {
            List<String> tokens = tokens(ClassificationInput.from(e.event(), "training", null), e.expected()[3]);
            tokensByEvent.add(tokens);
            tokens.forEach(t -> eventsPerToken.merge(t, 1, Integer::sum));
        }
        List<TreeMap<String, Integer>> classEvents = new ArrayList<>();
        List<TreeMap<String, TreeMap<String, Integer>>> counts = new ArrayList<>();
        for (int f = 0; f < FIELDS.size(); f++) {
            int label = ClassificationEvaluation.labelIndex(FIELDS.get(f));
            TreeMap<String, Integer> events = new TreeMap<>();
            TreeMap<String, TreeMap<String, Integer>> byClass = new TreeMap<>();
            for (int i = 0; i < training.size(); i++) {
                String value = training.get(i).expected()[label];
                if (value == null) {
                    continue;
                }
                events.merge(value, 1, Integer::sum);
                TreeMap<String, Integer> byToken = byClass.computeIfAbsent(value, k -> new TreeMap<>());
                for (String token : tokensByEvent.get(i)) {
                    if (eventsPerToken.get(token) >= MIN_EVENTS_PER_TOKEN) {
                        byToken.merge(token, 1, Integer::sum);
                    }
                }
            }
            classEvents.add(events);
            counts.add(byClass);
        }
        return new TokenFallback(classEvents, counts);
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

    /** A field's answer: the class and its posterior probability. */
    record Guess(String value, double probability) {}

    /**
     * The model's answer for a field, or null when it has no class for it or its best class is
     * below {@link #MIN_PROBABILITY}.
     *
     * @param field an index into {@link #FIELDS}
     */
    Guess guess(int field, List<String> tokens) {
        Guess best = best(field, tokens);
        return best == null || best.probability() < MIN_PROBABILITY ? null : best;
    }

    /** The best class and its posterior probability, however low (for --explain). */
    Guess best(int field, List<String> tokens) {
        String[] names = classes.get(field);
        if (names.length == 0) {
            return null;
        }
        double[] score = logPrior.get(field).clone();
        Map<String, double[]> likelihood = logLikelihood.get(field);
        for (String token : tokens) {
            double[] lp = likelihood.get(token);
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

    /**
     * The event's tokens, each once: the model counts in how many events of a class a token
     * appears, which suits short texts better than counting repeats.
     *
     * @param workflow the workflow decided for the event, or null
     */
    static List<String> tokens(ClassificationInput input, String workflow) {
        Set<String> tokens = new LinkedHashSet<>();
        tokens.add("platform:" + input.platform());
        tokens.add("level:" + input.level());
        tokens.add("workflow:" + workflow);
        tokens.add(input.background() ? "background" : "request");
        if (Boolean.FALSE.equals(input.handled())) {
            tokens.add("unhandled");
        }
        if (input.httpStatus() != null) {
            int status = input.httpStatus();
            tokens.add("status:" + status);
            tokens.add("status:" + status / 100 + "xx");
        }
        for (ClassificationInput.ExceptionInfo e : input.exceptions()) {
            if (e.type() != null) {
                tokens.add("type:" + e.type());
                words(e.type(), "tw:", tokens);
            }
            words(e.value(), "w:", tokens);
        }
        words(input.message(), "w:", tokens);
        words(input.logger(), "lg:", tokens);
        words(input.transaction(), "tx:", tokens);
        return List.copyOf(tokens);
    }

    private static void words(String text, String prefix, Set<String> into) {
        if (text == null) {
            return;
        }
        String bounded = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
        for (String w : WorkflowKeywords.words(bounded)) {
            // digits are ids, counts and durations, and the classification cache zeroes them
            if (w.length() >= 3 && !Character.isDigit(w.charAt(0))) {
                into.add(prefix + w);
            }
        }
    }

    // ----- the data file: one line per field and class, then per field, class and token

    private static final String HEADER = "# Faultline classification fallback (naive Bayes), generated by"
            + " TokenFallback.main from labelled-events.jsonl: do not edit, regenerate."
            + " TokenFallbackTest fails when this file is stale (./faultline classify --train-model).";

    String write() {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (int f = 0; f < FIELDS.size(); f++) {
            for (Map.Entry<String, Integer> c : classEvents.get(f).entrySet()) {
                out.append("class\t")
                        .append(FIELDS.get(f))
                        .append('\t')
                        .append(c.getKey())
                        .append('\t')
                        .append(c.getValue())
                        .append('\n');
            }
        }
        for (int f = 0; f < FIELDS.size(); f++) {
            for (Map.Entry<String, TreeMap<String, Integer>> c : counts.get(f).entrySet()) {
                for (Map.Entry<String, Integer> t : c.getValue().entrySet()) {
                    out.append("token\t")
                            .append(FIELDS.get(f))
                            .append('\t')
                            .append(c.getKey())
                            .append('\t')
                            .append(t.getKey())
                            .append('\t')
                            .append(t.getValue())
                            .append('\n');
                }
            }
        }
        return out.toString();
    }

    static TokenFallback read(InputStream in) throws IOException {
        List<TreeMap<String, Integer>> classEvents = new ArrayList<>();
        List<TreeMap<String, TreeMap<String, Integer>>> counts = new ArrayList<>();
        for (int f = 0; f < FIELDS.size(); f++) {
            classEvents.add(new TreeMap<>());
            counts.add(new TreeMap<>());
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
                if (parts[0].equals("class") && parts.length == 4 && field >= 0) {
                    classEvents.get(field).put(parts[2], Integer.parseInt(parts[3]));
                } else if (parts[0].equals("token") && parts.length == 5 && field >= 0) {
                    counts.get(field)
                            .computeIfAbsent(parts[2], k -> new TreeMap<>())
                            .put(parts[3], Integer.parseInt(parts[4]));
                } else {
                    throw new IOException(RESOURCE + ":" + n + ": not a model line");
                }
            } catch (NumberFormatException e) {
                throw new IOException(RESOURCE + ":" + n + ": bad count", e);
            }
        }
        return new TokenFallback(classEvents, counts);
    }

    /**
     * Regenerates the shipped model: {@code TokenFallback LABELLED.jsonl OUT.tsv} (the module's
     * {@code src/test/resources/labelled-events.jsonl} and {@code src/main/resources/}{@value
     * #RESOURCE}).
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: TokenFallback LABELLED.jsonl OUT.tsv");
            System.exit(2);
        }
        String model = train(ClassificationEvaluation.load(Path.of(args[0]))).write();
        Files.writeString(Path.of(args[1]), model, StandardCharsets.UTF_8);
        System.out.println("wrote " + args[1] + " (" + model.lines().count() + " lines)");
    }
}
