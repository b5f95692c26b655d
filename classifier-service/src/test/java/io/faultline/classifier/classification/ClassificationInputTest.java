package io.faultline.classifier.classification;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.LogEntry;
import io.faultline.schemas.Mechanism;
import io.faultline.schemas.RequestInfo;
import io.faultline.schemas.StackFrame;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassificationInputTest {

    private static final Instant AT = Instant.parse("2026-01-05T10:00:00Z");

    /**
     * Exception types reach the classifier uncapped (an event may be 1 MB), and type rules of the
     * shape {@code (word|...)[A-Za-z]*Suffix} take time in the square of the type's length: one
     * event whose type was "seat" repeated to 128 KB held the stream thread for 70 s. No real type
     * name is longer than a few hundred characters.
     */
    @Test
    void anExceptionTypeIsCappedBeforeAnyRuleReadsIt() {
        String hostile = "seat".repeat(32 * 1024);
        ClassificationInput.ExceptionInfo info = new ClassificationInput.ExceptionInfo(hostile, "v");
        assertThat(info.type()).hasSize(ClassificationInput.MAX_TYPE_CHARS).isEqualTo(hostile.substring(0, 256));
        assertThat(new ClassificationInput.ExceptionInfo("java.net.ConnectException", "v").type())
                .isEqualTo("java.net.ConnectException");
        assertThat(new ClassificationInput.ExceptionInfo(null, "v").type()).isNull();
    }

    /**
     * The library a failure was raised in comes first, however many framework frames its wrapper
     * passed through: built outermost first and capped at 8, a Redis timeout wrapped by a request
     * with 9 framework frames lost its Redis frame, and rules read an HTTP timeout.
     */
    @Test
    void libraryModulesStartWithTheRootCausesInnermostFrame() {
        List<StackFrame> wrapperFrames = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            wrapperFrames.add(frame("django.core.handlers.layer" + i, false));
        }
        wrapperFrames.add(frame("salon.views.book", true));
        ErrorEvent event = base().setExceptions(List.of(
                        exception(
                                "TimeoutError",
                                null,
                                "Timeout reading from socket",
                                List.of(
                                        frame("salon.cache.get", true),
                                        frame("redis.client", false),
                                        frame("redis.connection", false))),
                        exception("RuntimeError", null, "cache unavailable", wrapperFrames)))
                .build();

        ClassificationInput input = ClassificationInput.from(event, "g", null);

        assertThat(input.frameworkModules())
                .startsWith("redis.connection", "redis.client")
                .hasSize(8);
        assertThat(input.inAppFrames()).containsExactly("salon.views.book.call", "salon.cache.get.call");
    }

    /** Rules run regexes on frame modules and the cache keys them: a 2 MB file name cost 0.5 s a rule. */
    @Test
    void aHugeFrameModuleIsCutBeforeAnyRuleReadsIt() {
        ErrorEvent event = base().setExceptions(
                        List.of(exception("Error", null, "x", List.of(frame("a/".repeat(1_000_000), false)))))
                .build();

        assertThat(ClassificationInput.from(event, "g", null).frameworkModules().get(0))
                .hasSize(ClassificationInput.MAX_MODULE_CHARS);
    }

    /** "jose.JWKSTimeout" matched no rule on JWKSTimeout: in JavaScript the package is where, not what. */
    @Test
    void aJavaScriptErrorKeepsItsGlobalClassNameWhateverPackageIsGiven() {
        ErrorEvent event = base().setPlatform("node")
                .setExceptions(List.of(exception("JWKSTimeout", "jose", "request timed out")))
                .build();

        assertThat(ClassificationInput.from(event, "g", null).exceptions())
                .extracting(ClassificationInput.ExceptionInfo::type)
                .containsExactly("JWKSTimeout");
    }

    /** "builtins.MemoryError" matched no rule on MemoryError, so an out-of-memory fell to the defaults. */
    @Test
    void pythonsBuiltinExceptionsAreNamedBareWhateverModuleTheEventGives() {
        ErrorEvent event = base().setExceptions(List.of(
                        exception("MemoryError", "builtins", ""),
                        exception("KeyError", "__builtin__", "'x'"),
                        exception("ReadTimeout", "requests.exceptions", "timed out")))
                .build();

        assertThat(ClassificationInput.from(event, "g", null).exceptions())
                .extracting(ClassificationInput.ExceptionInfo::type)
                .containsExactly("MemoryError", "KeyError", "requests.exceptions.ReadTimeout");
    }

    @Test
    void qualifiesTypesThatSdksSplitIntoModuleAndName() {
        ErrorEvent event = base().setExceptions(List.of(
                        exception("ConnectException", "java.net", "Connection refused"),
                        exception("TypeError", null, "x is undefined"),
                        exception("java.io.IOException", "java.io", "wrapped")))
                .build();

        ClassificationInput input = ClassificationInput.from(event, "g", null);

        assertThat(input.exceptions())
                .extracting(ClassificationInput.ExceptionInfo::type)
                .containsExactly("java.net.ConnectException", "TypeError", "java.io.IOException");
    }

    @Test
    void keepsRubyAndPhpTypesThatAreAlreadyQualifiedByTheirNamespace() {
        // Sentry's Ruby SDK sends the namespace as the module as well as in the type; prefixing it
        // again ("ActiveRecord.ActiveRecord::RecordNotFound") hid the type from the type table.
        ErrorEvent event = base().setExceptions(List.of(
                        exception("ActiveRecord::RecordNotFound", "ActiveRecord", "Couldn't find Course"),
                        exception("Illuminate\\Database\\QueryException", "Illuminate", "SQLSTATE[HY000]")))
                .build();

        ClassificationInput input = ClassificationInput.from(event, "g", null);

        assertThat(input.exceptions())
                .extracting(ClassificationInput.ExceptionInfo::type)
                .containsExactly("ActiveRecord::RecordNotFound", "Illuminate\\Database\\QueryException");
    }

    @Test
    void addsTheCauseAJavaWrapperNamesInItsValue() {
        ErrorEvent event = base().setExceptions(List.of(exception(
                        "CompletionException", "java.util.concurrent", "java.util.concurrent.TimeoutException")))
                .build();

        ClassificationInput input = ClassificationInput.from(event, "g", null);

        assertThat(input.exceptions())
                .extracting(ClassificationInput.ExceptionInfo::type)
                .containsExactly("java.util.concurrent.TimeoutException", "java.util.concurrent.CompletionException");
    }

    @Test
    void readsTheStatusFromTagsThenFromTheResponseContext() {
        ErrorEvent tagged = base().setTags(Map.of("http.status_code", "503")).build();
        ErrorEvent context =
                base().setContexts(Map.of("response", "{\"status_code\": 429}")).build();
        ErrorEvent garbage = base().setTags(Map.of("status_code", "oops")).build();

        assertThat(ClassificationInput.from(tagged, "g", null).httpStatus()).isEqualTo(503);
        assertThat(ClassificationInput.from(context, "g", null).httpStatus()).isEqualTo(429);
        assertThat(ClassificationInput.from(garbage, "g", null).httpStatus()).isNull();
    }

    @Test
    void fallsBackFromTransactionToRouteTagToRequestPath() {
        ErrorEvent routeTag =
                base().setTags(Map.of("http.route", "/api/bookings/{id}")).build();
        ErrorEvent request = base().setRequest(RequestInfo.newBuilder()
                        .setUrl("https://app.example.com/checkout?step=2")
                        .build())
                .build();

        assertThat(ClassificationInput.from(routeTag, "g", null).transaction()).isEqualTo("/api/bookings/{id}");
        assertThat(ClassificationInput.from(request, "g", null).transaction()).isEqualTo("/checkout");
    }

    @Test
    void prefersTheMinedTemplateAndKeepsTheSdkTemplateOtherwise() {
        ErrorEvent event = base().setLogentry(LogEntry.newBuilder()
                        .setMessage("user %s not found")
                        .setFormatted("user 42 not found")
                        .build())
                .build();

        assertThat(ClassificationInput.from(event, "g", "user <*> not found").messageTemplate())
                .isEqualTo("user <*> not found");
        ClassificationInput sdk = ClassificationInput.from(event, "g", null);
        assertThat(sdk.messageTemplate()).isEqualTo("user %s not found");
        assertThat(sdk.message()).isEqualTo("user 42 not found");
    }

    @Test
    void takesHandledFromTheOutermostException() {
        ExceptionValue unhandled = exception("TypeError", null, "boom");
        unhandled.setMechanism(
                Mechanism.newBuilder().setType("onerror").setHandled(false).build());
        ErrorEvent event = base().setExceptions(List.of(unhandled)).build();

        assertThat(ClassificationInput.from(event, "g", null).handled()).isFalse();
        assertThat(ClassificationInput.from(base().build(), "g", null).handled())
                .isNull();
    }

    static ErrorEvent.Builder base() {
        return ErrorEvent.newBuilder()
                .setEventId("0123456789abcdef0123456789abcdef")
                .setProjectId("p")
                .setTimestamp(AT)
                .setReceivedAt(AT)
                .setPlatform("java");
    }

    private static ExceptionValue exception(String type, String module, String value, List<StackFrame> frames) {
        return ExceptionValue.newBuilder(exception(type, module, value))
                .setFrames(frames)
                .build();
    }

    /** Sentry's order: caller first, so the list's last frame is the innermost. */
    static StackFrame frame(String module, boolean inApp) {
        return StackFrame.newBuilder()
                .setModule(module)
                .setFunction("call")
                .setInApp(inApp)
                .build();
    }

    private static ExceptionValue exception(String type, String module, String value) {
        return ExceptionValue.newBuilder()
                .setType(type)
                .setModule(module)
                .setValue(value)
                .build();
    }
}
