package io.faultline.dashboard.messaging;

import io.faultline.dashboard.stream.FeedEvent;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.Signal;
import io.faultline.schemas.StackFrame;
import java.util.ArrayList;
import java.util.List;

/** Avro records → feed items; the Avro types stop here. */
final class FeedEvents {

    /** Enough frames to recognise a trace; the full one is a click away in the impact-service. */
    static final int MAX_FRAMES = 40;

    private FeedEvents() {}

    static FeedEvent of(ClassifiedError error) {
        var event = error.getEvent();
        var classification = error.getClassification();
        return new FeedEvent(
                "error",
                event.getLevel(),
                error.getClassifiedAt().toEpochMilli(),
                event.getProjectId(),
                error.getGroupId(),
                error.getGrouping().getTitle(),
                classification.getSeverity(),
                classification.getCategory(),
                classification.getBusinessImpact(),
                classification.getWorkflow(),
                event.getMessage(),
                null,
                stack(event.getExceptions()));
    }

    static FeedEvent of(Signal signal) {
        return new FeedEvent(
                "signal",
                signal.getType(),
                signal.getDetectedAt().toEpochMilli(),
                signal.getProjectId(),
                signal.getGroupId(),
                signal.getMessage().isEmpty() ? signal.getType() : signal.getMessage(),
                signal.getSeverity(),
                null,
                null,
                signal.getWorkflow(),
                signal.getMessage(),
                null,
                List.of());
    }

    static FeedEvent of(ResolutionEvent resolution) {
        return new FeedEvent(
                "resolution",
                resolution.getPhase(),
                resolution.getTimestamp().toEpochMilli(),
                resolution.getProjectId(),
                resolution.getGroupId(),
                resolution.getMessage(),
                resolution.getSeverity(),
                null,
                null,
                null,
                resolution.getMessage(),
                resolution.getAction(),
                List.of());
    }

    /** Sentry orders exceptions outermost-first and frames caller-first; a reader wants the reverse. */
    private static List<String> stack(List<ExceptionValue> exceptions) {
        if (exceptions == null || exceptions.isEmpty()) {
            return List.of();
        }
        ExceptionValue innermost = exceptions.get(exceptions.size() - 1);
        List<String> lines = new ArrayList<>();
        lines.add((innermost.getType() == null ? "Error" : innermost.getType())
                + (innermost.getValue() == null ? "" : ": " + innermost.getValue()));
        List<StackFrame> frames = innermost.getFrames();
        for (int i = frames.size() - 1; i >= 0 && lines.size() <= MAX_FRAMES; i--) {
            StackFrame f = frames.get(i);
            String where = f.getModule() != null ? f.getModule() : f.getFilename() != null ? f.getFilename() : "?";
            lines.add("at " + where + (f.getFunction() == null ? "" : "." + f.getFunction())
                    + (f.getLineno() == null ? "" : ":" + f.getLineno())
                    + (Boolean.TRUE.equals(f.getInApp()) ? "" : " (library)"));
        }
        return List.copyOf(lines);
    }
}
