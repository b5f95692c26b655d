package io.faultline.resolver.runbook;

/** A runbook file that cannot be used; the message names the file, the runbook and the field. */
public class RunbookFileException extends RuntimeException {

    public RunbookFileException(String message) {
        super(message);
    }

    public RunbookFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
