package io.faultline.classifier.classification;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Remembers classifications, so that the events of one kind do not run the rule file's regular
 * expressions over and over (most of an event's classification cost).
 *
 * <p><b>Why a hit is exact.</b> An entry is keyed by everything the rules read, except that every
 * ASCII digit of the message texts (message, template, exception values) is replaced by {@code 0}:
 * "timed out after 30000ms" and "timed out after 5000ms" share an entry. A text condition that
 * treats every digit alike ({@link RuleCondition#textDistinguishesDigits}) matches both texts or
 * neither, so it decides the same. The conditions that do tell digits apart ({@code \b5\d\d\b},
 * {@code SQLSTATE 40P01}) are recorded, with their outcome, in the order the classification
 * evaluated them; a hit re-evaluates exactly those on the new event, and any different outcome
 * makes it a miss. Given the same outcome for every condition it evaluated, the classification is
 * the same, rule for rule. A digit-telling condition is left out of the record when even its
 * digit-blind widening ({@link RuleCondition#digitBlindSuperset}) fails on the zeroed texts: then
 * it fails for every text of the entry, whatever its digits.
 *
 * <p>Bounded (least recently used goes first) and shared between stream threads.
 */
final class ClassificationCache {

    static final int MAX_ENTRIES = 4096;
    /** Longer texts are classified without the cache: their keys would hold too much memory. */
    static final int MAX_TEXT_CHARS = 2048;

    record Key(
            List<String> exceptionTypes,
            List<String> texts,
            String level,
            String platform,
            String logger,
            Map<String, String> tags,
            String transaction,
            // what the rules read of the request path and the in-app frames, not the texts: a path
            // holds ids (/api/bookings/4711), and keyed by it every request would miss the cache
            boolean background,
            String keywordWorkflow,
            Integer httpStatus,
            Boolean handled,
            // the libraries the rules' frameModule conditions and the learned fallback read (module
            // names: no line numbers)
            List<String> frameworkModules,
            // what the learned fallback reads of the frames, and the path's words that can change its
            // answer (those it has weights for: not ids, UUIDs or slugs), when there is a fallback
            List<String> modelContext,
            String overriddenGroupId,
            LabelOverride override) {}

    /** The conditions telling digits apart, and what each decided, in evaluation order. */
    final class Trace {
        private final List<RuleCondition> conditions = new ArrayList<>();
        private final List<Boolean> outcomes = new ArrayList<>();
        private final ClassificationInput input;
        private ClassificationInput zeroed;

        Trace(ClassificationInput input) {
            this.input = input;
        }

        /** Notes the outcome of a text condition on the traced input, if a hit must re-check it. */
        void observe(RuleCondition condition, boolean outcome) {
            if (!digitSensitive.contains(condition)) {
                return;
            }
            if (!outcome) {
                RuleCondition widened = supersets.get(condition);
                if (widened != null && !widened.matchesText(zeroed())) {
                    return;
                }
            }
            conditions.add(condition);
            outcomes.add(outcome);
        }

        private ClassificationInput zeroed() {
            if (zeroed == null) {
                List<ClassificationInput.ExceptionInfo> chain = new ArrayList<>();
                for (ClassificationInput.ExceptionInfo e : input.exceptions()) {
                    chain.add(new ClassificationInput.ExceptionInfo(e.type(), zeroDigits(e.value())));
                }
                zeroed = new ClassificationInput(
                        chain,
                        zeroDigits(input.message()),
                        zeroDigits(input.messageTemplate()),
                        input.level(),
                        input.platform(),
                        input.logger(),
                        input.tags(),
                        input.transaction(),
                        input.httpStatus(),
                        input.handled(),
                        input.groupId(),
                        input.requestPath(),
                        input.inAppFrames(),
                        input.frameworkModules());
            }
            return zeroed;
        }

        boolean holdsFor(ClassificationInput input) {
            for (int i = 0; i < conditions.size(); i++) {
                if (conditions.get(i).matchesText(input) != outcomes.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private record Entry(ClassificationResult result, Trace trace) {}

    private final Set<RuleCondition> digitSensitive = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<RuleCondition, RuleCondition> supersets = new IdentityHashMap<>();
    private final Map<Key, Entry> entries = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    ClassificationCache(List<ClassificationRule> rules) {
        for (ClassificationRule rule : rules) {
            for (RuleCondition condition : new RuleCondition[] {rule.when(), rule.unless()}) {
                if (condition != null && condition.textDistinguishesDigits()) {
                    digitSensitive.add(condition);
                    RuleCondition widened = condition.digitBlindSuperset();
                    if (widened != null) {
                        supersets.put(condition, widened);
                    }
                }
            }
        }
    }

    Trace trace(ClassificationInput input) {
        return new Trace(input);
    }

    /** The key of an input, or null when its texts are too long to be worth keeping. */
    static Key keyOf(
            ClassificationInput input,
            Optional<LabelOverride> override,
            WorkflowKeywords keywords,
            TokenFallback model) {
        List<String> types = new ArrayList<>(input.exceptions().size());
        List<String> texts = new ArrayList<>(input.exceptions().size() + 2);
        int chars = 0;
        texts.add(zeroDigits(input.message()));
        texts.add(zeroDigits(input.messageTemplate()));
        for (ClassificationInput.ExceptionInfo exception : input.exceptions()) {
            types.add(exception.type());
            texts.add(zeroDigits(exception.value()));
        }
        for (String text : texts) {
            chars += text == null ? 0 : text.length();
        }
        if (chars > MAX_TEXT_CHARS) {
            return null;
        }
        return new Key(
                types,
                texts,
                input.level(),
                input.platform(),
                input.logger(),
                input.tags(),
                input.transaction(),
                input.background(),
                keywords.workflowOf(input),
                input.httpStatus(),
                input.handled(),
                input.frameworkModules(),
                model != null ? model.contextKey(input) : List.of(),
                override.isPresent() ? input.groupId() : null,
                override.orElse(null));
    }

    synchronized ClassificationResult get(Key key, ClassificationInput input) {
        Entry entry = entries.get(key);
        return entry != null && entry.trace().holdsFor(input) ? entry.result() : null;
    }

    synchronized void put(Key key, ClassificationResult result, Trace trace) {
        entries.put(key, new Entry(result, trace));
    }

    synchronized int size() {
        return entries.size();
    }

    static String zeroDigits(String text) {
        if (text == null) {
            return null;
        }
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '1' && c <= '9') {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = '0';
            }
        }
        return chars == null ? text : new String(chars);
    }
}
