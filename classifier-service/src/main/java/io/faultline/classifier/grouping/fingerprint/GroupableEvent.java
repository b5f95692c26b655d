package io.faultline.classifier.grouping.fingerprint;

import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.StackFrame;
import java.util.List;
import java.util.Map;

/**
 * The parts of an {@link ErrorEvent} that grouping looks at, as plain immutable values. Keeping the
 * Avro type at this one edge lets every strategy be tested with small literal events.
 *
 * @param exceptions the chain in Sentry's order: root cause first, outermost exception last
 * @param logTemplate the logentry's message (the template, e.g. {@code "user %s not found"}), nullable
 * @param message the formatted message, nullable
 */
public record GroupableEvent(
        String projectId,
        String platform,
        String level,
        String logger,
        String transaction,
        String logTemplate,
        String message,
        List<ChainedException> exceptions,
        Map<String, String> tags,
        List<String> fingerprint) {

    public GroupableEvent {
        exceptions = List.copyOf(exceptions);
        tags = Map.copyOf(tags);
        fingerprint = List.copyOf(fingerprint);
    }

    /** @param frames caller first, the crashing frame last (Sentry's order) */
    /**
     * @param synthetic the SDK made the exception up (e.g. to carry a stack for a log message or a
     *     non-Error rejection), so its type and value say nothing about the error
     */
    public record ChainedException(String type, String module, String value, List<Frame> frames, boolean synthetic) {
        public ChainedException {
            frames = List.copyOf(frames);
        }

        /**
         * Java SDKs send the simple class name as {@code type} and the package as {@code module};
         * the qualified name is what tells {@code java.sql.SQLException} from a homonym.
         */
        public String qualifiedType() {
            if (type == null || type.isBlank()) {
                return null;
            }
            if (module == null || module.isBlank() || type.startsWith(module + ".")) {
                return type;
            }
            return module + "." + type;
        }
    }

    /** @param inApp true only when the SDK said so: unknown counts as library code, as in Sentry */
    public record Frame(String module, String filename, String function, Integer lineno, boolean inApp) {}

    public static GroupableEvent from(ErrorEvent event) {
        String logTemplate =
                event.getLogentry() == null ? null : event.getLogentry().getMessage();
        String message = event.getMessage();
        if ((message == null || message.isBlank()) && event.getLogentry() != null) {
            message = event.getLogentry().getFormatted();
        }
        return new GroupableEvent(
                event.getProjectId(),
                event.getPlatform(),
                event.getLevel(),
                event.getLogger(),
                event.getTransaction(),
                logTemplate,
                message,
                event.getExceptions().stream().map(GroupableEvent::exception).toList(),
                event.getTags(),
                event.getFingerprint().stream().filter(part -> part != null).toList());
    }

    private static ChainedException exception(ExceptionValue value) {
        return new ChainedException(
                value.getType(),
                value.getModule(),
                value.getValue(),
                value.getFrames().stream().map(GroupableEvent::frame).toList(),
                value.getMechanism() != null
                        && Boolean.TRUE.equals(value.getMechanism().getSynthetic()));
    }

    private static Frame frame(StackFrame frame) {
        return new Frame(
                frame.getModule(),
                frame.getFilename() != null ? frame.getFilename() : frame.getAbsPath(),
                frame.getFunction(),
                frame.getLineno(),
                Boolean.TRUE.equals(frame.getInApp()));
    }

    /** The outermost exception, the one the user saw; null when the event carries none. */
    public ChainedException outermostException() {
        return exceptions.isEmpty() ? null : exceptions.get(exceptions.size() - 1);
    }
}
