package io.faultline.classifier.grouping;

import io.faultline.classifier.streams.EventAnalyzer;
import io.faultline.schemas.Classification;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.StackFrame;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * First-cut grouping: the exception types plus the top in-app frames (module + function, never
 * line numbers), else the message with digits masked; classification by level alone.
 */
public final class BasicEventAnalyzer implements EventAnalyzer {

    private static final int FRAMES = 5;

    @Override
    public ClassifiedError analyze(ErrorEvent event) {
        List<String> components = new ArrayList<>();
        String strategy;
        String title;
        String culprit = null;
        if (!event.getExceptions().isEmpty()) {
            strategy = "exception-stack";
            for (ExceptionValue e : event.getExceptions()) {
                components.add("type=" + e.getType());
                List<StackFrame> frames = e.getFrames();
                int taken = 0;
                for (int i = frames.size() - 1; i >= 0 && taken < FRAMES; i--) {
                    StackFrame f = frames.get(i);
                    if (Boolean.TRUE.equals(f.getInApp())) {
                        String frame = f.getModule() + "." + f.getFunction();
                        components.add("frame=" + frame);
                        culprit = culprit == null ? frame : culprit;
                        taken++;
                    }
                }
            }
            ExceptionValue outer = event.getExceptions().get(event.getExceptions().size() - 1);
            title = outer.getType() + (outer.getValue() == null ? "" : ": " + outer.getValue());
        } else {
            strategy = "message";
            String message = event.getMessage() == null ? "" : event.getMessage();
            components.add("message=" + message.replaceAll("\\d+", "<*>"));
            title = message;
        }
        String groupId = hash(event.getProjectId() + "\n" + strategy + "\n" + String.join("\n", components));
        String severity = switch (event.getLevel()) {
            case "fatal" -> "critical";
            case "error" -> "high";
            case "warning" -> "medium";
            case "info" -> "low";
            default -> "info";
        };
        return ClassifiedError.newBuilder()
                .setEvent(event)
                .setGroupId(groupId)
                .setGrouping(GroupingInfo.newBuilder()
                        .setStrategy(strategy)
                        .setComponents(components)
                        .setTitle(title.length() > 200 ? title.substring(0, 200) : title)
                        .setCulprit(culprit)
                        .build())
                .setClassification(Classification.newBuilder()
                        .setSeverity(severity)
                        .setCategory("business_logic")
                        .setBusinessImpact("operational")
                        .setWorkflow(event.getTags().get("workflow"))
                        .setRules(List.of("level:" + event.getLevel()))
                        .build())
                .setClassifiedAt(Instant.now())
                .build();
    }

    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
