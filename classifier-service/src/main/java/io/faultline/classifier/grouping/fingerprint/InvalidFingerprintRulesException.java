package io.faultline.classifier.grouping.fingerprint;

/**
 * A fingerprint rule file that cannot be used, with where and why: the source, the line, the rule
 * (its position and id when known) and the field, so an operator can fix it without guessing.
 */
public final class InvalidFingerprintRulesException extends IllegalArgumentException {

    private final String source;
    private final int line;
    private final int ruleNumber;
    private final String field;

    InvalidFingerprintRulesException(
            String source, int line, int ruleNumber, String ruleId, String field, String problem, Throwable cause) {
        super(describe(source, line, ruleNumber, ruleId, field, problem), cause);
        this.source = source;
        this.line = line;
        this.ruleNumber = ruleNumber;
        this.field = field;
    }

    private static String describe(
            String source, int line, int ruleNumber, String ruleId, String field, String problem) {
        StringBuilder text = new StringBuilder("invalid fingerprint rules in ").append(source);
        if (line > 0) {
            text.append(", line ").append(line);
        }
        if (ruleNumber > 0) {
            text.append(", rule #").append(ruleNumber);
            if (ruleId != null) {
                text.append(" '").append(ruleId).append('\'');
            }
        }
        if (field != null) {
            text.append(", field '").append(field).append('\'');
        }
        return text.append(": ").append(problem).toString();
    }

    /** Name of the file or stream the rules came from. */
    public String source() {
        return source;
    }

    /** 1-based line of the offending text; 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based position of the offending rule in the file; 0 when the problem is not in one rule. */
    public int ruleNumber() {
        return ruleNumber;
    }

    /** The offending field, e.g. {@code match.tpye}; null when the problem is not in one field. */
    public String field() {
        return field;
    }
}
