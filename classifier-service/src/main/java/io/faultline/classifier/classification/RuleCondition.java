package io.faultline.classifier.classification;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code when} (or {@code unless}) part of a rule, compiled. Every condition present must hold
 * (AND); a condition given as a list holds when any element does (OR). An absent condition holds.
 *
 * @param exceptionTypes the chain holds an exception of one of these types or of a subtype
 * @param exceptionTypePattern the chain holds an exception whose qualified type name matches
 * @param messageContains one of these substrings (case-insensitive) is in the message text
 * @param messagePattern the message text matches (find, as written: add (?i) for case-insensitive)
 * @param httpStatusRanges inclusive [from, to] pairs
 * @param tagPatterns each named tag is present and matches its pattern
 * @param frameModulePattern a frame that is not the application's has a module (or file) that
 *     matches: the library the failure was raised in, which names the dependency when the runtime's
 *     exception type does not (a TimeoutError inside a Redis client is the datastore's)
 * @param background the event came from no request, or from a webhook (see {@link
 *     ClassificationInput#background()})
 * @param categories the category already decided (conditions on decided fields)
 * @param workflows the workflow already decided; the name {@code none} stands for no workflow
 * @param severities the severity already decided
 */
record RuleCondition(
        Set<String> exceptionTypes,
        Pattern exceptionTypePattern,
        List<String> messageContains,
        Pattern messagePattern,
        List<int[]> httpStatusRanges,
        Pattern loggerPattern,
        Map<String, Pattern> tagPatterns,
        Pattern transactionPattern,
        Pattern frameModulePattern,
        Set<String> levels,
        Set<String> platforms,
        Boolean handled,
        Boolean background,
        Set<Category> categories,
        Set<String> workflows,
        Set<Severity> severities) {

    static final String NO_WORKFLOW = "none";

    /** What is decided so far while classifying one event. */
    record Decided(String workflow, Category category, Severity severity) {}

    boolean isEmpty() {
        return exceptionTypes == null
                && exceptionTypePattern == null
                && messageContains == null
                && messagePattern == null
                && httpStatusRanges == null
                && loggerPattern == null
                && tagPatterns == null
                && transactionPattern == null
                && frameModulePattern == null
                && levels == null
                && platforms == null
                && handled == null
                && background == null
                && categories == null
                && workflows == null
                && severities == null;
    }

    /** The earliest decided field this condition reads, or null when it reads none. */
    LabelField readsDecided() {
        if (workflows != null) {
            return LabelField.WORKFLOW;
        }
        if (categories != null) {
            return LabelField.CATEGORY;
        }
        return severities != null ? LabelField.SEVERITY : null;
    }

    boolean matches(ClassificationInput input, TypeHierarchy hierarchy, Decided decided) {
        return matchesEvent(input, hierarchy) && matchesDecided(decided);
    }

    boolean matchesDecided(Decided decided) {
        if (categories != null && (decided.category() == null || !categories.contains(decided.category()))) {
            return false;
        }
        if (severities != null && (decided.severity() == null || !severities.contains(decided.severity()))) {
            return false;
        }
        if (workflows != null) {
            String workflow = decided.workflow() == null ? NO_WORKFLOW : decided.workflow();
            return workflows.contains(workflow);
        }
        return true;
    }

    boolean matchesEvent(ClassificationInput input, TypeHierarchy hierarchy) {
        return matchesEventExceptText(input, hierarchy) && matchesText(input);
    }

    /** Every condition but those on the message text. */
    boolean matchesEventExceptText(ClassificationInput input, TypeHierarchy hierarchy) {
        if (levels != null && !levels.contains(input.level().toLowerCase(Locale.ROOT))) {
            return false;
        }
        if (platforms != null
                && (input.platform() == null
                        || !platforms.contains(input.platform().toLowerCase(Locale.ROOT)))) {
            return false;
        }
        if (handled != null && !handled.equals(input.handled())) {
            return false;
        }
        if (background != null && background != input.background()) {
            return false;
        }
        if (httpStatusRanges != null && !statusMatches(input.httpStatus())) {
            return false;
        }
        if (loggerPattern != null
                && (input.logger() == null
                        || !loggerPattern.matcher(input.logger()).find())) {
            return false;
        }
        if (transactionPattern != null
                && (input.transaction() == null
                        || !transactionPattern.matcher(input.transaction()).find())) {
            return false;
        }
        if (frameModulePattern != null && !frameModuleMatches(input)) {
            return false;
        }
        if (tagPatterns != null) {
            for (Map.Entry<String, Pattern> tag : tagPatterns.entrySet()) {
                String value = input.tags().get(tag.getKey());
                if (value == null || !tag.getValue().matcher(value).find()) {
                    return false;
                }
            }
        }
        if (exceptionTypes != null && !chainHasType(input, hierarchy)) {
            return false;
        }
        return exceptionTypePattern == null || chainHasTypeMatching(input);
    }

    /** The conditions on the message text alone (true when there are none). */
    boolean matchesText(ClassificationInput input) {
        if (messageContains != null && !textContains(input)) {
            return false;
        }
        return messagePattern == null || textMatches(input);
    }

    /**
     * A condition on digit-blind texts that holds whenever this one's text conditions hold, or null
     * when none is known: needles with their digits zeroed, and each digit literal of the pattern
     * widened to {@code \\d}. Evaluated on a text whose digits are zeroed, it holds for the text if
     * this condition holds for any text of the same shape with other digits; false rules all out.
     * Patterns with a digit inside a class, a repetition count, an escape or a negative look-around
     * (where widening would narrow) have none.
     */
    RuleCondition digitBlindSuperset() {
        List<String> needles = null;
        if (messageContains != null) {
            needles = new ArrayList<>();
            for (String needle : messageContains) {
                needles.add(ClassificationCache.zeroDigits(needle));
            }
        }
        Pattern pattern = null;
        if (messagePattern != null) {
            String widened = widenDigits(messagePattern.pattern());
            if (widened == null) {
                return null;
            }
            pattern = Pattern.compile(widened, messagePattern.flags());
        }
        return new RuleCondition(
                null, null, needles, pattern, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static String widenDigits(String source) {
        if (source.contains("(?!") || source.contains("(?<!") || source.contains("\\N{")) {
            return null;
        }
        StringBuilder widened = new StringBuilder(source.length() + 8);
        boolean inCount = false;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\\' && i + 1 < source.length()) {
                char next = source.charAt(i + 1);
                if (Character.isDigit(next) || next == 'x' || next == 'u' || next == 'c' || next == 'Q') {
                    return null; // a digit by code, a back reference or quoted text: not worth parsing
                }
                widened.append(c).append(next);
                i++;
            } else if (c == '[') {
                int end = source.indexOf(']', i + 1);
                String members = end < 0 ? "" : source.substring(i + 1, end);
                if (!members.isEmpty() && members.chars().allMatch(m -> (m >= '0' && m <= '9') || m == '-')) {
                    widened.append("\\d"); // a class of digits only, such as [13] or [0-3]
                    i = end;
                } else if (members.chars().anyMatch(Character::isDigit) || members.contains("[")) {
                    return null;
                } else {
                    widened.append(source, i, end + 1);
                    i = end;
                }
            } else if (c == '{') {
                inCount = true;
                widened.append(c);
            } else if (c == '}') {
                inCount = false;
                widened.append(c);
            } else if (Character.isDigit(c) && !inCount) {
                if (c > '9') {
                    return null;
                }
                widened.append("\\d");
            } else {
                widened.append(c);
            }
        }
        return widened.toString();
    }

    boolean readsText() {
        return messageContains != null || messagePattern != null;
    }

    /**
     * Whether the text conditions may tell one digit from another: they name a digit (a literal,
     * a range, an escape such as {@code \x31}, a back reference, a bounded repetition) or a
     * character by name. Conditions that do not treat every ASCII digit alike, so a text matches
     * them exactly when the same text with each digit replaced by {@code 0} does.
     */
    boolean textDistinguishesDigits() {
        if (messageContains != null) {
            for (String needle : messageContains) {
                if (needle.chars().anyMatch(Character::isDigit)) {
                    return true;
                }
            }
        }
        if (messagePattern != null) {
            String source = messagePattern.pattern();
            return source.chars().anyMatch(Character::isDigit) || source.contains("\\N{");
        }
        return false;
    }

    private boolean statusMatches(Integer status) {
        if (status == null) {
            return false;
        }
        for (int[] range : httpStatusRanges) {
            if (status >= range[0] && status <= range[1]) {
                return true;
            }
        }
        return false;
    }

    private boolean chainHasType(ClassificationInput input, TypeHierarchy hierarchy) {
        for (ClassificationInput.ExceptionInfo exception : input.exceptions()) {
            if (exception.type() == null) {
                continue;
            }
            for (String type : hierarchy.selfAndAncestors(exception.type())) {
                if (exceptionTypes.contains(type)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean frameModuleMatches(ClassificationInput input) {
        for (String module : input.frameworkModules()) {
            if (frameModulePattern.matcher(module).find()) {
                return true;
            }
        }
        return false;
    }

    private boolean chainHasTypeMatching(ClassificationInput input) {
        for (ClassificationInput.ExceptionInfo exception : input.exceptions()) {
            if (exception.type() != null
                    && exceptionTypePattern.matcher(exception.type()).find()) {
                return true;
            }
        }
        return false;
    }

    /** The message text: the message, its template and every exception value of the chain. */
    private static List<String> texts(ClassificationInput input) {
        List<String> texts = new ArrayList<>(input.exceptions().size() + 2);
        addCapped(texts, input.message());
        addCapped(texts, input.messageTemplate());
        for (ClassificationInput.ExceptionInfo exception : input.exceptions()) {
            addCapped(texts, exception.value());
        }
        return texts;
    }

    /**
     * Messages carry user input and may be huge; operator regexes only see their head, which bounds
     * the cost of a backtracking pattern on a hostile message.
     */
    static final int MAX_TEXT_MATCHED = 4096;

    private static void addCapped(List<String> texts, String text) {
        if (text != null) {
            texts.add(text.length() > MAX_TEXT_MATCHED ? text.substring(0, MAX_TEXT_MATCHED) : text);
        }
    }

    private boolean textContains(ClassificationInput input) {
        for (String text : texts(input)) {
            String lower = text.toLowerCase(Locale.ROOT);
            for (String needle : messageContains) {
                if (lower.contains(needle)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean textMatches(ClassificationInput input) {
        for (String text : texts(input)) {
            if (messagePattern.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }
}
