package io.faultline.classifier.classification;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Labels events from the rules of a rule file, explaining each label by the id of the rule that
 * decided it.
 *
 * <p>Precedence: an operator override for the event's group wins (rule id
 * {@code override:<groupId>}); otherwise each field is decided, in the order workflow, category,
 * severity, businessImpact, by the first rule in file order that sets the field and matches; a
 * field no rule decides takes the file's default (rule id {@code default}). A rule that sets
 * several fields may thus decide some of them while earlier rules decide others.
 *
 * <p>Confidence: category and severity decided by the default, or by a rule marked {@code generic},
 * are not confident; the learned fallback ({@link TokenFallback}) then decides them when its
 * probability is at least its threshold (rule id {@value TokenFallback#MODEL_RULE_ID}). Category is
 * settled before severity's rules run, so they read the model's category as they would a rule's,
 * and the model's severity reads the final category too; business impact is always the rules'
 * procedure.
 *
 * <p>Thread-safe: the rules are immutable and overrides are read through a concurrent store.
 */
public final class EventClassifier {

    private final ClassificationRules rules;
    private final GroupLabelOverrides overrides;
    private final ClassificationCache cache;
    private final TokenFallback model;

    /** A classifier over {@code rules} with the shipped learned fallback. */
    public EventClassifier(ClassificationRules rules, GroupLabelOverrides overrides) {
        this(rules, overrides, TokenFallback.shipped());
    }

    /** @param model the learned fallback, or null for the rules alone */
    public EventClassifier(ClassificationRules rules, GroupLabelOverrides overrides, TokenFallback model) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.overrides = Objects.requireNonNull(overrides, "overrides");
        this.cache = new ClassificationCache(rules.rules());
        this.model = model;
    }

    /** A classifier over the shipped rules with in-memory overrides. */
    public static EventClassifier withDefaultRules() {
        return new EventClassifier(ClassificationRules.loadDefault(), new InMemoryGroupLabelOverrides());
    }

    /**
     * Pins labels on a group; they apply to the group's next event. Null components keep deciding
     * by rules; an all-null override removes the pin.
     */
    public void relabel(String groupId, LabelOverride override) {
        overrides.put(groupId, override);
    }

    public void clearRelabel(String groupId) {
        overrides.remove(groupId);
    }

    /**
     * Classifies one event. Events that differ only in digits the rules do not look at (ids,
     * durations, counts) are answered from a bounded cache; see {@link ClassificationCache} for why
     * that answer is the one the rules would give.
     */
    public ClassificationResult classify(ClassificationInput input) {
        Optional<LabelOverride> override = overrides.forGroup(input.groupId());
        ClassificationCache.Key key = ClassificationCache.keyOf(input, override, rules.workflowKeywords(), model);
        if (key != null) {
            ClassificationResult known = cache.get(key, input);
            if (known != null) {
                return known;
            }
        }
        ClassificationCache.Trace trace = cache.trace(input);
        ClassificationResult result = classify(input, override, trace);
        if (key != null) {
            cache.put(key, result, trace);
        }
        return result;
    }

    private ClassificationResult classify(
            ClassificationInput input, Optional<LabelOverride> override, ClassificationCache.Trace trace) {
        String overrideId = "override:" + input.groupId();
        // Whether each rule's event conditions hold is computed at most once per event.
        Boolean[] eventMatch = new Boolean[rules.rules().size()];

        String workflowRule = ClassificationRules.DEFAULT_RULE_ID;
        String workflow = null;
        if (override.isPresent() && override.get().workflow() != null) {
            workflow = override.get().workflow();
            workflowRule = overrideId;
        } else {
            RuleCondition.Decided nothing = new RuleCondition.Decided(null, null, null);
            for (int i = 0; i < eventMatch.length; i++) {
                ClassificationRule rule = rules.rules().get(i);
                if (rule.sets(LabelField.WORKFLOW) && matches(rule, i, input, nothing, eventMatch, trace)) {
                    String offered = workflowOffered(rule, input);
                    if (offered != null) {
                        workflow = offered;
                        workflowRule = rule.id();
                        break;
                    }
                }
            }
        }

        // the learned fallback's tokens, made at most once per event and only when a field needs it
        List<String> modelTokens = null;
        Category category = rules.defaultCategory();
        String categoryRule = ClassificationRules.DEFAULT_RULE_ID;
        if (override.isPresent() && override.get().category() != null) {
            category = override.get().category();
            categoryRule = overrideId;
        } else {
            int i = firstMatch(
                    LabelField.CATEGORY, input, new RuleCondition.Decided(workflow, null, null), eventMatch, trace);
            if (i >= 0) {
                category = rules.rules().get(i).category();
                categoryRule = rules.rules().get(i).id();
            }
            if (i < 0 || rules.rules().get(i).generic() || model != null && model.overrulesAnyRule()) {
                modelTokens = modelTokens != null ? modelTokens : modelTokens(input, workflow);
                TokenFallback.Guess guess = model == null ? null : model.guess(TokenFallback.CATEGORY, modelTokens);
                if (guess != null) {
                    category = Category.fromWire(guess.value()).orElse(category);
                    categoryRule = TokenFallback.MODEL_RULE_ID;
                }
            }
        }

        RuleCondition.Decided decided = new RuleCondition.Decided(workflow, category, null);
        Severity severity = rules.defaultSeverity();
        String severityRule = ClassificationRules.DEFAULT_RULE_ID;
        if (override.isPresent() && override.get().severity() != null) {
            severity = override.get().severity();
            severityRule = overrideId;
        } else {
            int i = firstMatch(LabelField.SEVERITY, input, decided, eventMatch, trace);
            if (i >= 0) {
                severity = rules.rules().get(i).severity();
                severityRule = rules.rules().get(i).id();
            }
            if (i < 0 || rules.rules().get(i).generic() || model != null && model.overrulesAnyRule()) {
                modelTokens = modelTokens != null ? modelTokens : modelTokens(input, workflow);
                TokenFallback.Guess guess = model == null
                        ? null
                        : model.guess(TokenFallback.SEVERITY, model.severityTokens(modelTokens, category));
                if (guess != null) {
                    severity = Severity.fromWire(guess.value()).orElse(severity);
                    severityRule = TokenFallback.MODEL_RULE_ID;
                }
            }
        }

        BusinessImpact impact = rules.defaultBusinessImpact();
        String impactRule = ClassificationRules.DEFAULT_RULE_ID;
        if (override.isPresent() && override.get().businessImpact() != null) {
            impact = override.get().businessImpact();
            impactRule = overrideId;
        } else {
            int i = firstMatch(
                    LabelField.BUSINESS_IMPACT,
                    input,
                    new RuleCondition.Decided(workflow, category, severity),
                    eventMatch,
                    trace);
            if (i >= 0) {
                impact = rules.rules().get(i).businessImpact();
                impactRule = rules.rules().get(i).id();
            }
        }

        List<String> explanation = new ArrayList<>(4);
        explanation.add(LabelField.SEVERITY.key() + "=" + severityRule);
        explanation.add(LabelField.CATEGORY.key() + "=" + categoryRule);
        explanation.add(LabelField.BUSINESS_IMPACT.key() + "=" + impactRule);
        explanation.add(LabelField.WORKFLOW.key() + "=" + workflowRule);
        return new ClassificationResult(severity, category, impact, workflow, explanation);
    }

    /**
     * The whole decision for one event, for {@code ./faultline classify --explain}: what the rules
     * saw of it and, per field in decision order, the value, the rule that decided it and every
     * rule that sets the field and matched (the first of them decided unless an override did).
     */
    public Map<String, Object> explain(ClassificationInput input) {
        ClassificationResult result = classify(input);
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put(
                "exceptions",
                input.exceptions().stream()
                        .map(e -> e.type() + (e.value() == null ? "" : ": " + e.value()))
                        .toList());
        seen.put("message", input.message());
        seen.put("transaction", input.transaction());
        seen.put("httpStatus", input.httpStatus());
        seen.put("handled", input.handled());
        seen.put("level", input.level());
        seen.put("platform", input.platform());
        seen.put("logger", input.logger());
        seen.put("tags", input.tags());
        seen.put("frameworkModules", input.frameworkModules());
        out.put("input", seen);
        Boolean[] eventMatch = new Boolean[rules.rules().size()];
        ClassificationCache.Trace trace = cache.trace(input);
        RuleCondition.Decided[] before = {
            new RuleCondition.Decided(null, null, null),
            new RuleCondition.Decided(result.workflow(), null, null),
            new RuleCondition.Decided(result.workflow(), result.category(), null),
            new RuleCondition.Decided(result.workflow(), result.category(), result.severity())
        };
        LabelField[] order = {LabelField.WORKFLOW, LabelField.CATEGORY, LabelField.SEVERITY, LabelField.BUSINESS_IMPACT
        };
        Object[] values = {
            result.workflow(),
            result.category().wireName(),
            result.severity().wireName(),
            result.businessImpact().wireName()
        };
        for (int f = 0; f < order.length; f++) {
            List<String> matching = new ArrayList<>();
            for (int i = 0; i < eventMatch.length; i++) {
                ClassificationRule rule = rules.rules().get(i);
                if (rule.sets(order[f])
                        && matches(rule, i, input, before[f], eventMatch, trace)
                        && (order[f] != LabelField.WORKFLOW || workflowOffered(rule, input) != null)) {
                    matching.add(rule.id());
                }
            }
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("value", values[f]);
            field.put("decidedBy", result.ruleFor(order[f].key()));
            int modelField = TokenFallback.FIELDS.indexOf(order[f].key());
            if (model != null && modelField >= 0) {
                // what the model thinks even where a rule decided: shows how close a generic rule came to being
                // overruled
                List<String> tokens = TokenFallback.tokens(input, result.workflow());
                TokenFallback.Guess best = model.best(
                        modelField,
                        modelField == TokenFallback.SEVERITY
                                ? model.severityTokens(tokens, result.category())
                                : tokens);
                if (best != null) {
                    Map<String, Object> guess = new LinkedHashMap<>();
                    guess.put("value", best.value());
                    guess.put("probability", Math.round(best.probability() * 1000) / 1000.0);
                    field.put("model", guess);
                }
            }
            field.put("matchingRules", matching);
            out.put(order[f].key(), field);
        }
        return out;
    }

    private List<String> modelTokens(ClassificationInput input, String workflow) {
        return model == null ? List.of() : TokenFallback.tokens(input, workflow);
    }

    private int firstMatch(
            LabelField field,
            ClassificationInput input,
            RuleCondition.Decided decided,
            Boolean[] eventMatch,
            ClassificationCache.Trace trace) {
        for (int i = 0; i < eventMatch.length; i++) {
            ClassificationRule rule = rules.rules().get(i);
            if (rule.sets(field) && matches(rule, i, input, decided, eventMatch, trace)) {
                return i;
            }
        }
        return -1;
    }

    private boolean matches(
            ClassificationRule rule,
            int index,
            ClassificationInput input,
            RuleCondition.Decided decided,
            Boolean[] eventMatch,
            ClassificationCache.Trace trace) {
        if (!rule.when().matchesDecided(decided)) {
            return false;
        }
        RuleCondition unless = rule.unless();
        boolean unlessReadsDecided = unless != null && unless.readsDecided() != null;
        if (eventMatch[index] == null) {
            boolean match = matchesEvent(rule.when(), input, trace);
            if (match && unless != null && !unlessReadsDecided) {
                match = !matchesEvent(unless, input, trace);
            }
            eventMatch[index] = match;
        }
        if (!eventMatch[index]) {
            return false;
        }
        // An unless on decided fields depends on what is decided so far, so it is not cached.
        return !unlessReadsDecided || !(unless.matchesDecided(decided) && matchesEvent(unless, input, trace));
    }

    /** A condition's event part, recording the outcome of text conditions that tell digits apart. */
    private boolean matchesEvent(RuleCondition condition, ClassificationInput input, ClassificationCache.Trace trace) {
        if (!condition.matchesEventExceptText(input, rules.hierarchy())) {
            return false;
        }
        if (!condition.readsText()) {
            return true;
        }
        boolean match = condition.matchesText(input);
        trace.observe(condition, match);
        return match;
    }

    private String workflowOffered(ClassificationRule rule, ClassificationInput input) {
        if (rule.workflow() != null) {
            return rule.workflow();
        }
        if (ClassificationRules.KEYWORDS.equals(rule.workflowFromTag())) {
            return rules.workflowKeywords().workflowOf(input);
        }
        String tag = input.tags().get(rule.workflowFromTag());
        if (tag == null) {
            return null;
        }
        String name = ClassificationRules.workflowName(tag);
        return rules.workflows().contains(name) ? name : null;
    }

    /** How many answers the cache holds (tests: what shares an answer, and what does not). */
    int cachedAnswers() {
        return cache.size();
    }
}
