package io.faultline.classifier.grouping.fingerprint;

import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.LogEntry;
import io.faultline.schemas.StackFrame;
import java.time.Instant;
import java.util.List;

/** Realistic events, shaped like what sentry-java, sentry-python and sentry-javascript send. */
final class TestEvents {

    static final String SHOP = "shop-backend";

    private TestEvents() {}

    static ErrorEvent.Builder event(String projectId) {
        Instant at = Instant.parse("2026-11-30T02:00:00Z");
        return ErrorEvent.newBuilder()
                .setEventId("0123456789abcdef0123456789abcdef")
                .setProjectId(projectId)
                .setTimestamp(at)
                .setReceivedAt(at)
                .setPlatform("java");
    }

    static ErrorEvent javaError(ExceptionValue... chain) {
        return event(SHOP).setExceptions(List.of(chain)).build();
    }

    static StackFrame app(String module, String function, int line) {
        return frame(module, function, line, true);
    }

    static StackFrame lib(String module, String function, int line) {
        return frame(module, function, line, false);
    }

    static StackFrame frame(String module, String function, Integer line, Boolean inApp) {
        String simpleName = module == null ? null : module.substring(module.lastIndexOf('.') + 1);
        return StackFrame.newBuilder()
                .setModule(module)
                .setFunction(function)
                .setFilename(simpleName == null ? null : simpleName.replaceAll("\\$.*", "") + ".java")
                .setLineno(line)
                .setInApp(inApp)
                .build();
    }

    static StackFrame jsFrame(String filename, String function, int line, int column) {
        return StackFrame.newBuilder()
                .setFilename(filename)
                .setAbsPath(filename)
                .setFunction(function)
                .setLineno(line)
                .setColno(column)
                .setInApp(true)
                .build();
    }

    static ExceptionValue exception(String qualifiedType, String value, StackFrame... frames) {
        int dot = qualifiedType.lastIndexOf('.');
        return ExceptionValue.newBuilder()
                .setType(dot < 0 ? qualifiedType : qualifiedType.substring(dot + 1))
                .setModule(dot < 0 ? null : qualifiedType.substring(0, dot))
                .setValue(value)
                .setFrames(List.of(frames))
                .build();
    }

    /** A request thread entering the booking service through Spring MVC, crashing in the DAO. */
    static StackFrame[] bookingStack(int daoLine) {
        return new StackFrame[] {
            lib("java.lang.Thread", "run", 840),
            lib("org.springframework.web.servlet.DispatcherServlet", "doDispatch", 1089),
            app("com.example.booking.BookingController", "create", 57),
            app("com.example.booking.BookingService", "book", 112),
            lib("org.springframework.jdbc.core.JdbcTemplate", "update", 1024),
            app("com.example.booking.BookingDao", "insert", daoLine),
            lib("org.postgresql.jdbc.PgPreparedStatement", "executeUpdate", 152)
        };
    }

    static ErrorEvent logMessage(String projectId, String template, String formatted) {
        return event(projectId)
                .setMessage(formatted)
                .setLogentry(
                        template == null
                                ? null
                                : LogEntry.newBuilder()
                                        .setMessage(template)
                                        .setFormatted(formatted)
                                        .build())
                .build();
    }
}
