package io.faultline.classifier.grouping.fingerprint;

import java.util.List;
import java.util.Optional;

/** The title and culprit shown for an event, following Sentry's conventions. */
public final class IssueSummary {

    static final int MAX_TITLE_LENGTH = 100;

    private final FrameNormalizer normalizer;

    public IssueSummary(FrameNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    /** {@code Type: first line of the value} of the outermost exception, else the message's first line. */
    public String title(GroupableEvent event) {
        GroupableEvent.ChainedException outermost = event.outermostException();
        if (outermost != null) {
            String type = normalizer.type(outermost.type());
            String value = firstLine(outermost.value());
            if (type == null) {
                return truncate(value == null ? "<unknown error>" : value);
            }
            return truncate(value == null ? type : type + ": " + value);
        }
        String message = firstLine(event.message() != null ? event.message() : event.logTemplate());
        return message == null ? "<unlabeled event>" : truncate(message);
    }

    /** Where it broke: the crashing in-app frame as {@code module.function}, else the transaction. */
    public String culprit(GroupableEvent event) {
        return crashFrame(event)
                .map(normalizer::frameName)
                .orElse(event.transaction() == null || event.transaction().isBlank() ? null : event.transaction());
    }

    /**
     * The frame nearest the crash: the last in-app frame, searching from the outermost exception
     * towards the root cause; without any in-app frame, the outermost exception's last named frame.
     */
    public Optional<GroupableEvent.Frame> crashFrame(GroupableEvent event) {
        List<GroupableEvent.ChainedException> chain = event.exceptions();
        for (int e = chain.size() - 1; e >= 0; e--) {
            List<GroupableEvent.Frame> frames = chain.get(e).frames();
            for (int f = frames.size() - 1; f >= 0; f--) {
                if (frames.get(f).inApp() && normalizer.frameName(frames.get(f)) != null) {
                    return Optional.of(frames.get(f));
                }
            }
        }
        for (int e = chain.size() - 1; e >= 0; e--) {
            List<GroupableEvent.Frame> frames = chain.get(e).frames();
            for (int f = frames.size() - 1; f >= 0; f--) {
                if (normalizer.frameName(frames.get(f)) != null) {
                    return Optional.of(frames.get(f));
                }
            }
        }
        return Optional.empty();
    }

    private static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return (newline < 0 ? stripped : stripped.substring(0, newline)).strip();
    }

    private static String truncate(String text) {
        return text.length() <= MAX_TITLE_LENGTH ? text : text.substring(0, MAX_TITLE_LENGTH - 1) + "…";
    }
}
