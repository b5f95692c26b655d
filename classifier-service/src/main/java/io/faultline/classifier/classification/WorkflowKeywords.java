package io.faultline.classifier.classification;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The classification guide's workflow procedure over the rule file's {@code workflowKeywords}
 * table: the request path, else the transaction, else each in-app frame innermost first, is split
 * into words (at any character that is not a letter or digit, and at camelCase and letter-digit
 * boundaries); the words are read last to first and the first one equal to a keyword, or a keyword
 * plus "s", names the workflow. Reading from the end lets the most specific segment decide
 * ({@code /api/clients/7/bookings} is booking, {@code /api/bookings/7/payment} payment).
 */
final class WorkflowKeywords {

    private final Map<String, String> workflowByWord = new HashMap<>();

    /** @param keywords workflow -> its keywords; a keyword listed under two workflows is a fault the parser reports */
    WorkflowKeywords(Map<String, List<String>> keywords) {
        keywords.forEach((workflow, words) -> {
            for (String word : words) {
                String key = word.toLowerCase(Locale.ROOT);
                workflowByWord.put(key, workflow);
                workflowByWord.putIfAbsent(key + "s", workflow);
            }
        });
    }

    boolean isEmpty() {
        return workflowByWord.isEmpty();
    }

    /** The workflow the event's path, transaction or frames name, or null. */
    String workflowOf(ClassificationInput input) {
        String found = inText(input.requestPath());
        if (found == null) {
            found = inText(input.transaction());
        }
        for (int i = 0; found == null && i < input.inAppFrames().size(); i++) {
            found = inText(input.inAppFrames().get(i));
        }
        return found;
    }

    String inText(String text) {
        if (text == null) {
            return null;
        }
        List<String> words = words(text);
        for (int i = words.size() - 1; i >= 0; i--) {
            String workflow = workflowByWord.get(words.get(i));
            if (workflow != null) {
                return workflow;
            }
        }
        return null;
    }

    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            boolean part = Character.isLetterOrDigit(c);
            if (start >= 0 && (!part || boundary(text, i))) {
                words.add(text.substring(start, i).toLowerCase(Locale.ROOT));
                start = -1;
            }
            if (part && start < 0) {
                start = i;
            }
        }
        return words;
    }

    /** A word starts at i: aB, a1, 1a, and the last capital of a run before lower case (HTTPServer). */
    private static boolean boundary(String text, int i) {
        if (i == 0 || i >= text.length()) {
            return false;
        }
        char prev = text.charAt(i - 1);
        char c = text.charAt(i);
        if (Character.isLowerCase(prev) && Character.isUpperCase(c)) {
            return true;
        }
        if (Character.isDigit(prev) != Character.isDigit(c) && Character.isLetterOrDigit(prev)) {
            return true;
        }
        return Character.isUpperCase(prev)
                && Character.isUpperCase(c)
                && i + 1 < text.length()
                && Character.isLowerCase(text.charAt(i + 1));
    }
}
