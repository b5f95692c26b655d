package io.faultline.classifier.classification;

/** A rule file that cannot be used; the message names the file, the rule and the field at fault. */
public final class RuleFileException extends RuntimeException {

    private final String ruleId;
    private final String field;

    RuleFileException(String source, String ruleId, String field, String problem) {
        super(source + ": " + (ruleId == null ? "" : "rule '" + ruleId + "': ")
                + (field == null ? "" : "field '" + field + "': ") + problem);
        this.ruleId = ruleId;
        this.field = field;
    }

    RuleFileException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.ruleId = null;
        this.field = null;
    }

    /** The id of the faulty rule, null when the fault is outside any rule. */
    public String ruleId() {
        return ruleId;
    }

    /** The path of the faulty field within the rule or file, null when the fault is the file itself. */
    public String field() {
        return field;
    }
}
