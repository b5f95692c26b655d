package io.faultline.classifier.classification;

import io.faultline.schemas.ErrorEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A learned fallback, for the evaluation only so far: a multinomial naive Bayes per label over
 * tokens of the exception types, the message and values, the platform and the request path or
 * transaction, trained on labelled events. It decides a field only where no rule did (the rules'
 * {@code default}) and the model's best class is at least {@link #MIN_MARGIN} times likelier than
 * the runner-up; the result then names {@code model} as the deciding rule.
 */
final class TokenFallback {

    static final String MODEL_RULE_ID = "model";
    static final double MIN_MARGIN = 4.0;

    /** One naive Bayes per label: class -> token -> count. */
    private final List<Map<String, Map<String, Integer>>> counts = new ArrayList<>();

    private final List<Map<String, Integer>> classTotals = new ArrayList<>();
    private final List<Map<String, Integer>> classEvents = new ArrayList<>();
    private final Set<String> vocabulary = new HashSet<>();
    private int events;

    TokenFallback(List<ClassificationEvaluation.Labelled> training) {
        for (int f = 0; f < ClassificationEvaluation.LABELS.length; f++) {
            counts.add(new HashMap<>());
            classTotals.add(new HashMap<>());
            classEvents.add(new HashMap<>());
        }
        for (ClassificationEvaluation.Labelled e : training) {
            List<String> tokens = tokens(e.event());
            vocabulary.addAll(tokens);
            events++;
            for (int f = 0; f < ClassificationEvaluation.LABELS.length; f++) {
                String label = String.valueOf(e.expected()[f]);
                classEvents.get(f).merge(label, 1, Integer::sum);
                Map<String, Integer> byToken = counts.get(f).computeIfAbsent(label, k -> new HashMap<>());
                for (String token : tokens) {
                    byToken.merge(token, 1, Integer::sum);
                    classTotals.get(f).merge(label, 1, Integer::sum);
                }
            }
        }
    }

    /** The rules, with the model deciding the fields they left to the defaults. */
    static ClassificationEvaluation.Trainer over(ClassificationRules rules) {
        EventClassifier classifier = new EventClassifier(rules, new InMemoryGroupLabelOverrides());
        return training -> {
            TokenFallback model = new TokenFallback(training);
            return event -> model.complete(
                    event, classifier.classify(ClassificationInput.from(event, event.getEventId(), null)));
        };
    }

    ClassificationResult complete(ErrorEvent event, ClassificationResult byRules) {
        String[] labels = ClassificationEvaluation.labels(byRules);
        String[] deciders = new String[labels.length];
        List<String> tokens = null;
        boolean changed = false;
        for (int f = 0; f < labels.length; f++) {
            deciders[f] = byRules.ruleFor(ClassificationEvaluation.LABELS[f]);
            // workflow is the guide's procedure: nothing left to guess
            if (f == 3 || !ClassificationRules.DEFAULT_RULE_ID.equals(deciders[f])) {
                continue;
            }
            if (tokens == null) {
                tokens = tokens(event);
            }
            String guess = predict(f, tokens);
            if (guess != null) {
                labels[f] = guess;
                deciders[f] = MODEL_RULE_ID;
                changed = true;
            }
        }
        if (!changed) {
            return byRules;
        }
        return new ClassificationResult(
                Severity.fromWire(labels[0]).orElseThrow(),
                Category.fromWire(labels[1]).orElseThrow(),
                BusinessImpact.fromWire(labels[2]).orElseThrow(),
                labels[3],
                List.of(
                        "severity=" + deciders[0],
                        "category=" + deciders[1],
                        "businessImpact=" + deciders[2],
                        "workflow=" + deciders[3]));
    }

    private String predict(int field, List<String> tokens) {
        String best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        int v = vocabulary.size() + 1;
        for (Map.Entry<String, Integer> c : classEvents.get(field).entrySet()) {
            double score = Math.log((double) c.getValue() / events);
            Map<String, Integer> byToken = counts.get(field).get(c.getKey());
            int total = classTotals.get(field).getOrDefault(c.getKey(), 0);
            for (String token : tokens) {
                score += Math.log((byToken.getOrDefault(token, 0) + 1.0) / (total + v));
            }
            if (score > bestScore) {
                second = bestScore;
                bestScore = score;
                best = c.getKey();
            } else if (score > second) {
                second = score;
            }
        }
        return best == null || "null".equals(best) || bestScore - second < Math.log(MIN_MARGIN) ? null : best;
    }

    static List<String> tokens(ErrorEvent event) {
        List<String> tokens = new ArrayList<>();
        ClassificationInput input = ClassificationInput.from(event, "t", null);
        tokens.add("platform:" + input.platform());
        for (ClassificationInput.ExceptionInfo e : input.exceptions()) {
            if (e.type() != null) {
                tokens.add("type:" + e.type());
                for (String w : WorkflowKeywords.words(e.type())) {
                    tokens.add("tw:" + w);
                }
            }
            words(e.value(), "w:", tokens);
        }
        words(input.message(), "w:", tokens);
        words(input.requestPath() != null ? input.requestPath() : input.transaction(), "p:", tokens);
        return tokens;
    }

    private static void words(String text, String prefix, List<String> into) {
        if (text == null) {
            return;
        }
        String bounded = text.length() > 512 ? text.substring(0, 512) : text;
        for (String w : WorkflowKeywords.words(bounded)) {
            if (w.length() >= 3 && !Character.isDigit(w.charAt(0))) {
                into.add(prefix + w.toLowerCase(Locale.ROOT));
            }
        }
    }
}
