package io.faultline.schemas.rulefile;

/**
 * What is wrong in a rule file and where, before a parser words it in its own exception.
 *
 * @param field the path of the field within the current scope ({@code actions[0].backoff.jitter}),
 *     "" when the fault is the scope itself
 * @param line 1-based line in the file, 0 when unknown
 * @param cause the parser's exception when the text is not YAML, else null
 */
public record RuleFault(String field, int line, String problem, Throwable cause) {

    /** Turns a fault into the exception its parser throws, naming the file and the scope its own way. */
    @FunctionalInterface
    public interface Reporter {
        RuntimeException report(RuleFault fault);
    }
}
