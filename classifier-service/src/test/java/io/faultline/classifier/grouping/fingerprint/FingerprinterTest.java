package io.faultline.classifier.grouping.fingerprint;

import static io.faultline.classifier.grouping.fingerprint.TestEvents.SHOP;
import static io.faultline.classifier.grouping.fingerprint.TestEvents.app;
import static io.faultline.classifier.grouping.fingerprint.TestEvents.bookingStack;
import static io.faultline.classifier.grouping.fingerprint.TestEvents.event;
import static io.faultline.classifier.grouping.fingerprint.TestEvents.exception;
import static io.faultline.classifier.grouping.fingerprint.TestEvents.javaError;
import static io.faultline.classifier.grouping.fingerprint.TestEvents.jsFrame;
import static io.faultline.classifier.grouping.fingerprint.TestEvents.lib;
import static io.faultline.classifier.grouping.fingerprint.TestEvents.logMessage;
import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.Mechanism;
import io.faultline.schemas.StackFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FingerprinterTest {

    private final Fingerprinter fingerprinter = new Fingerprinter(new DigitMaskingTemplates(), FingerprintRules.none());

    private static final String SQL_EXCEPTION = "org.postgresql.util.PSQLException";

    private static ErrorEvent bookingFailure(int daoLine) {
        return javaError(exception(
                SQL_EXCEPTION, "ERROR: duplicate key value violates unique constraint", bookingStack(daoLine)));
    }

    @Test
    void theSameErrorAtDifferentLineNumbersSharesAGroup() {
        GroupingResult before = fingerprinter.group(bookingFailure(88));
        GroupingResult afterAnEdit = fingerprinter.group(bookingFailure(93));

        assertThat(afterAnEdit.groupId()).isEqualTo(before.groupId());
        assertThat(before.groupId()).matches("[0-9a-f]{32}");
        assertThat(before.strategy()).isEqualTo("exception-stack");
    }

    @Test
    void componentsSayWhyEventsWereGrouped() {
        GroupingResult result = fingerprinter.group(bookingFailure(88));

        // only in-app frames, caller first, no line numbers
        assertThat(result.components())
                .containsExactly(
                        "type=org.postgresql.util.PSQLException",
                        "frame=com.example.booking.BookingController.create",
                        "frame=com.example.booking.BookingService.book",
                        "frame=com.example.booking.BookingDao.insert");
        assertThat(result.title()).isEqualTo("PSQLException: ERROR: duplicate key value violates unique constraint");
        assertThat(result.culprit()).isEqualTo("com.example.booking.BookingDao.insert");
        assertThat(result.template()).isNull();
    }

    @Test
    void aDifferentInAppFunctionIsADifferentGroup() {
        StackFrame[] cancelStack = bookingStack(88);
        cancelStack[3] = app("com.example.booking.BookingService", "cancel", 140);

        GroupingResult book = fingerprinter.group(bookingFailure(88));
        GroupingResult cancel =
                fingerprinter.group(javaError(exception(SQL_EXCEPTION, "ERROR: duplicate key", cancelStack)));

        assertThat(cancel.groupId()).isNotEqualTo(book.groupId());
        assertThat(cancel.components()).contains("frame=com.example.booking.BookingService.cancel");
    }

    @Test
    void libraryFramesAndTheMessageDoNotSplitAGroupWhenInAppFramesExist() {
        StackFrame[] upgradedSpring = bookingStack(88);
        upgradedSpring[4] = lib("org.springframework.jdbc.core.JdbcTemplate", "execute", 651);

        GroupingResult original = fingerprinter.group(bookingFailure(88));
        GroupingResult upgraded =
                fingerprinter.group(javaError(exception(SQL_EXCEPTION, "ERROR: key (id)=(42) exists", upgradedSpring)));

        assertThat(upgraded.groupId()).isEqualTo(original.groupId());
    }

    @Test
    void lambdaAndProxySuffixVariantsShareAGroup() {
        ErrorEvent firstRun = javaError(exception(
                "java.lang.IllegalStateException",
                "slot taken",
                app("com.example.booking.BookingController", "create", 57),
                lib("com.example.booking.BookingService$$EnhancerBySpringCGLIB$$a1b2c3d4", "book", -1),
                app("com.example.booking.BookingService", "book", 112),
                app("com.example.booking.BookingService$$Lambda$123/0x0000000800c4b040", "apply", -1),
                app("com.example.booking.BookingService", "lambda$book$0", 118),
                app("com.example.booking.SlotRepository$HibernateProxy$Kw3ZbVbB", "getSlot", -1),
                app("com.sun.proxy.$Proxy12", "reserve", -1),
                app("com.example.booking.BookingService$1", "run", 130)));
        ErrorEvent secondRun = javaError(exception(
                "java.lang.IllegalStateException",
                "slot taken",
                app("com.example.booking.BookingController", "create", 57),
                lib("com.example.booking.BookingService$$EnhancerBySpringCGLIB$$9f8e7d6c", "book", -1),
                app("com.example.booking.BookingService", "book", 112),
                app("com.example.booking.BookingService$$Lambda$871/0x00000008011ea440", "apply", -1),
                app("com.example.booking.BookingService", "lambda$book$3", 121),
                app("com.example.booking.SlotRepository$HibernateProxy$Zq81LmNo", "getSlot", -1),
                app("jdk.proxy2.$Proxy45", "reserve", -1),
                app("com.example.booking.BookingService$2", "run", 130)));

        GroupingResult first = fingerprinter.group(firstRun);
        GroupingResult second = fingerprinter.group(secondRun);

        assertThat(second.groupId()).isEqualTo(first.groupId());
        assertThat(first.components())
                .contains(
                        "frame=com.example.booking.BookingService$$Lambda.apply",
                        "frame=com.example.booking.BookingService.lambda$book",
                        "frame=com.example.booking.SlotRepository$HibernateProxy.getSlot",
                        "frame=$Proxy.reserve",
                        "frame=com.example.booking.BookingService$<anon>.run");
    }

    @Test
    void recursionDepthDoesNotSplitAGroup() {
        GroupingResult shallow = fingerprinter.group(treeWalkOverflow(3));
        GroupingResult deep = fingerprinter.group(treeWalkOverflow(500));

        assertThat(deep.groupId()).isEqualTo(shallow.groupId());
        assertThat(deep.components())
                .containsExactly(
                        "type=java.lang.StackOverflowError",
                        "frame=com.example.catalog.CategoryTree.render",
                        "frame=com.example.catalog.CategoryTree.walk");
    }

    private static ErrorEvent treeWalkOverflow(int depth) {
        List<StackFrame> frames = new ArrayList<>();
        frames.add(app("com.example.catalog.CategoryTree", "render", 20));
        for (int i = 0; i < depth; i++) {
            frames.add(app("com.example.catalog.CategoryTree", "walk", 44 + (i % 2)));
        }
        return javaError(exception("java.lang.StackOverflowError", null, frames.toArray(StackFrame[]::new)));
    }

    @Test
    void framesAreCappedKeepingThoseNearestTheCrash() {
        Fingerprinter capped = new Fingerprinter(new DigitMaskingTemplates(), FingerprintRules.none(), 2);

        GroupingResult result = capped.group(bookingFailure(88));

        assertThat(result.components())
                .containsExactly(
                        "type=org.postgresql.util.PSQLException",
                        "frame=com.example.booking.BookingService.book",
                        "frame=com.example.booking.BookingDao.insert");
    }

    @Test
    void allFramesCountWhenNoneIsInApp() {
        ErrorEvent event = javaError(
                exception("java.util.concurrent.RejectedExecutionException", "Task rejected", new StackFrame[] {
                    TestEvents.frame("java.util.concurrent.ThreadPoolExecutor", "execute", 1365, null),
                    TestEvents.frame(
                            "java.util.concurrent.ThreadPoolExecutor$AbortPolicy", "rejectedExecution", 2065, null)
                }));

        assertThat(fingerprinter.group(event).components())
                .containsExactly(
                        "type=java.util.concurrent.RejectedExecutionException",
                        "frame=java.util.concurrent.ThreadPoolExecutor.execute",
                        "frame=java.util.concurrent.ThreadPoolExecutor$AbortPolicy.rejectedExecution");
    }

    @Test
    void theChainContributesEveryTypeRootCauseFirstAndItsOrderMatters() {
        ExceptionValue rootCause = exception(
                "java.net.SocketTimeoutException",
                "Read timed out",
                app("com.example.payment.StripeClient", "charge", 77));
        ExceptionValue wrapper = exception(
                "com.example.payment.PaymentFailedException",
                "payment failed",
                app("com.example.payment.PaymentService", "pay", 31));

        GroupingResult chain = fingerprinter.group(javaError(rootCause, wrapper));
        GroupingResult reversed = fingerprinter.group(javaError(wrapper, rootCause));

        assertThat(chain.components())
                .containsExactly(
                        "type=java.net.SocketTimeoutException",
                        "frame=com.example.payment.StripeClient.charge",
                        "type=com.example.payment.PaymentFailedException",
                        "frame=com.example.payment.PaymentService.pay");
        assertThat(reversed.groupId()).isNotEqualTo(chain.groupId());
        assertThat(chain.title()).isEqualTo("PaymentFailedException: payment failed");
        assertThat(chain.culprit()).isEqualTo("com.example.payment.PaymentService.pay");
    }

    @Test
    void theSameWrapperAroundADifferentRootCauseIsADifferentGroup() {
        ExceptionValue wrapper = exception(
                "com.example.payment.PaymentFailedException",
                "payment failed",
                app("com.example.payment.PaymentService", "pay", 31));
        ExceptionValue timeout = exception(
                "java.net.SocketTimeoutException",
                "Read timed out",
                app("com.example.payment.StripeClient", "charge", 77));
        ExceptionValue refused = exception(
                "java.net.ConnectException",
                "Connection refused",
                app("com.example.payment.StripeClient", "charge", 77));

        assertThat(fingerprinter.group(javaError(timeout, wrapper)).groupId())
                .isNotEqualTo(fingerprinter.group(javaError(refused, wrapper)).groupId());
    }

    @Test
    void aFingerprintSentWithTheEventWins() {
        ErrorEvent fromBook = event(SHOP)
                .setExceptions(List.of(exception(SQL_EXCEPTION, "connection refused", bookingStack(88))))
                .setFingerprint(List.of("database-unreachable"))
                .build();
        ErrorEvent fromReport = event(SHOP)
                .setExceptions(List.of(exception(
                        "java.net.ConnectException",
                        "Connection refused",
                        app("com.example.report.ReportJob", "run", 12))))
                .setFingerprint(List.of("database-unreachable"))
                .build();

        GroupingResult book = fingerprinter.group(fromBook);
        GroupingResult report = fingerprinter.group(fromReport);

        assertThat(report.groupId()).isEqualTo(book.groupId());
        assertThat(book.strategy()).isEqualTo("client-fingerprint");
        assertThat(book.components()).containsExactly("fingerprint=database-unreachable");
        // the title and culprit still describe the event itself
        assertThat(book.title()).isEqualTo("PSQLException: connection refused");
        assertThat(book.culprit()).isEqualTo("com.example.booking.BookingDao.insert");
    }

    @Test
    void defaultInAFingerprintRefinesTheDefaultGrouping() {
        ErrorEvent checkout = withFingerprint("/checkout", "{{ default }}", "{{ transaction }}");
        ErrorEvent checkoutAgain = withFingerprint("/checkout", "{{DEFAULT}}", "{{  Transaction}}");
        ErrorEvent rebook = withFingerprint("/rebook", "{{ default }}", "{{ transaction }}");

        GroupingResult result = fingerprinter.group(checkout);
        String defaultGroup = fingerprinter.group(bookingFailure(88)).groupId();

        assertThat(fingerprinter.group(checkoutAgain).groupId()).isEqualTo(result.groupId());
        assertThat(fingerprinter.group(rebook).groupId()).isNotEqualTo(result.groupId());
        assertThat(result.groupId()).isNotEqualTo(defaultGroup);
        assertThat(result.components())
                .containsExactly(
                        "default=exception-stack:" + defaultGroup,
                        "default.type=org.postgresql.util.PSQLException",
                        "default.frame=com.example.booking.BookingController.create",
                        "default.frame=com.example.booking.BookingService.book",
                        "default.frame=com.example.booking.BookingDao.insert",
                        "fingerprint=/checkout");
    }

    @Test
    void aFingerprintOfOnlyDefaultIsTheDefaultGroup() {
        GroupingResult result = fingerprinter.group(withFingerprint(null, "{{ default }}"));

        assertThat(result.groupId())
                .isEqualTo(fingerprinter.group(bookingFailure(88)).groupId());
        assertThat(result.strategy()).isEqualTo("exception-stack");
    }

    private static ErrorEvent withFingerprint(String transaction, String... fingerprint) {
        return event(SHOP)
                .setTransaction(transaction)
                .setExceptions(List.of(exception(
                        SQL_EXCEPTION, "ERROR: duplicate key value violates unique constraint", bookingStack(88))))
                .setFingerprint(List.of(fingerprint))
                .build();
    }

    @Test
    void fingerprintVariablesTakeTheEventsValues() {
        ErrorEvent event = event(SHOP)
                .setTransaction("POST /bookings")
                .setMessage("booking failed")
                .setExceptions(List.of(exception(SQL_EXCEPTION, "ERROR: duplicate key", bookingStack(88))))
                .setFingerprint(List.of(
                        "{{ type }}",
                        "{{ function }}",
                        "{{ module }}",
                        "{{ message }}",
                        "{{ transaction }}",
                        "{{ tags.region }}",
                        "{{ nonsense }}"))
                .build();

        assertThat(fingerprinter.group(event).components())
                .containsExactly(
                        "fingerprint=org.postgresql.util.PSQLException",
                        "fingerprint=insert",
                        "fingerprint=com.example.booking.BookingDao",
                        "fingerprint=booking failed",
                        "fingerprint=POST /bookings",
                        "fingerprint=<no-value-for-tag-region>",
                        "fingerprint={{ nonsense }}");
    }

    @Test
    void messagesDifferingInNumbersShareAGroupThroughTheirTemplate() {
        GroupingResult first = fingerprinter.group(logMessage(SHOP, null, "Payment 4411 declined after 3 retries"));
        GroupingResult second = fingerprinter.group(logMessage(SHOP, null, "Payment 9120 declined after 5 retries"));
        GroupingResult other = fingerprinter.group(logMessage(SHOP, null, "Refund 9120 declined after 5 retries"));

        assertThat(second.groupId()).isEqualTo(first.groupId());
        assertThat(other.groupId()).isNotEqualTo(first.groupId());
        assertThat(first.strategy()).isEqualTo("message-template");
        assertThat(first.template()).isEqualTo("Payment <*> declined after <*> retries");
        assertThat(first.components()).singleElement().asString().startsWith("template=");
        assertThat(first.title()).isEqualTo("Payment 4411 declined after 3 retries");
        assertThat(first.culprit()).isNull();
    }

    @Test
    void theLogTemplateIsPreferredOverTheFormattedMessage() {
        // digits are all the test template miner masks, so only the logentry template can join these
        GroupingResult alice = fingerprinter.group(logMessage(SHOP, "user %s not found", "user alice not found"));
        GroupingResult bob = fingerprinter.group(logMessage(SHOP, "user %s not found", "user bob not found"));

        assertThat(bob.groupId()).isEqualTo(alice.groupId());
        assertThat(alice.template()).isEqualTo("user %s not found");
        assertThat(alice.title()).isEqualTo("user alice not found");
    }

    @Test
    void theSameErrorInDifferentProjectsIsInDifferentGroups() {
        ErrorEvent shop = bookingFailure(88);
        ErrorEvent crm =
                event("crm-backend").setExceptions(shop.getExceptions()).build();

        GroupingResult inShop = fingerprinter.group(shop);
        GroupingResult inCrm = fingerprinter.group(crm);

        assertThat(inCrm.groupId()).isNotEqualTo(inShop.groupId());
        assertThat(inCrm.components()).isEqualTo(inShop.components());
        GroupingResult messageInCrm = fingerprinter.group(logMessage("crm-backend", null, "Payment 1 declined"));
        assertThat(messageInCrm.groupId())
                .isNotEqualTo(fingerprinter
                        .group(logMessage(SHOP, null, "Payment 1 declined"))
                        .groupId());
    }

    @Test
    void javascriptBundleHashesDoNotSplitAGroup() {
        ErrorEvent releaseA = jsError("https://cdn.example.com/static/js/main.3f2a9c1b.chunk.js", 1, 48213);
        ErrorEvent releaseB = jsError("https://cdn.example.com/static/js/main.b71e04d2.chunk.js", 1, 50102);

        GroupingResult a = fingerprinter.group(releaseA);

        assertThat(fingerprinter.group(releaseB).groupId()).isEqualTo(a.groupId());
        assertThat(a.components())
                .containsExactly("type=TypeError", "frame=static/js/main.<hash>.chunk.js:BookingForm.onSubmit");
    }

    private static ErrorEvent jsError(String bundle, int line, int column) {
        return event("shop-web")
                .setPlatform("javascript")
                .setExceptions(List.of(exception(
                        "TypeError",
                        "Cannot read properties of undefined (reading 'slotId')",
                        jsFrame(bundle, "BookingForm.onSubmit", line, column))))
                .build();
    }

    @Test
    void pythonLambdasGroupByTheirModule() {
        ErrorEvent event = event("shop-worker")
                .setPlatform("python")
                .setExceptions(List.of(exception(
                        "KeyError",
                        "'slot_id'",
                        app("app.booking.tasks", "confirm_booking", 41),
                        app("app.booking.tasks", "<lambda>", 44))))
                .build();

        assertThat(fingerprinter.group(event).components())
                .containsExactly(
                        "type=KeyError", "frame=app.booking.tasks.confirm_booking", "frame=app.booking.tasks.<lambda>");
    }

    @Test
    void anExceptionWithoutFramesGroupsByTypeAndValueTemplate() {
        GroupingResult first = fingerprinter.group(
                javaError(exception("com.example.QuotaExceeded", "quota 500 exceeded for tenant 17")));
        GroupingResult second = fingerprinter.group(
                javaError(exception("com.example.QuotaExceeded", "quota 900 exceeded for tenant 4")));

        assertThat(second.groupId()).isEqualTo(first.groupId());
        assertThat(first.strategy()).isEqualTo("exception-type");
        assertThat(first.template()).isEqualTo("quota <*> exceeded for tenant <*>");
        assertThat(first.components()).first().isEqualTo("type=com.example.QuotaExceeded");
    }

    @Test
    void theTypeOfASyntheticExceptionIsIgnored() {
        GroupingResult first =
                fingerprinter.group(syntheticRejection("Non-Error promise rejection captured with keys: code"));
        GroupingResult second =
                fingerprinter.group(syntheticRejection("Non-Error exception captured with keys: status"));

        assertThat(second.groupId()).isEqualTo(first.groupId());
        assertThat(first.components()).containsExactly("frame=src/booking/api.ts:submitBooking");
    }

    private static ErrorEvent syntheticRejection(String type) {
        ExceptionValue rejection = ExceptionValue.newBuilder(exception(
                        type, "undefined", jsFrame("webpack:///./src/booking/api.ts", "submitBooking", 40, 7)))
                .setMechanism(Mechanism.newBuilder()
                        .setType("onunhandledrejection")
                        .setSynthetic(true)
                        .build())
                .build();
        return event("shop-web")
                .setPlatform("javascript")
                .setExceptions(List.of(rejection))
                .build();
    }

    @Test
    void anEventWithNothingToGroupByFallsBackToItsTransaction() {
        GroupingResult result =
                fingerprinter.group(event(SHOP).setTransaction("GET /health").build());

        assertThat(result.strategy()).isEqualTo("fallback");
        assertThat(result.components()).contains("transaction=GET /health");
        assertThat(result.title()).isEqualTo("<unlabeled event>");
        assertThat(result.culprit()).isEqualTo("GET /health");
    }

    @Test
    void longTitlesAreTruncatedToTheFirstLine() {
        String value = "x".repeat(300) + "\nsecond line";
        GroupingResult result =
                fingerprinter.group(javaError(exception("java.lang.IllegalArgumentException", value, bookingStack(1))));

        assertThat(result.title())
                .hasSize(IssueSummary.MAX_TITLE_LENGTH)
                .startsWith("IllegalArgumentException: xxx")
                .endsWith("…");
    }

    @Test
    void convertsToTheGroupingInfoCarriedOnTheClassifiedTopic() {
        GroupingResult result = fingerprinter.group(bookingFailure(88));

        GroupingInfo info = result.toGroupingInfo();

        assertThat(info.getStrategy()).isEqualTo(result.strategy());
        assertThat(info.getComponents()).isEqualTo(result.components());
        assertThat(info.getTemplate()).isNull();
        assertThat(info.getTitle()).isEqualTo(result.title());
        assertThat(info.getCulprit()).isEqualTo("com.example.booking.BookingDao.insert");
    }

    @Test
    void groupIdsAreStableAcrossInstances() {
        Fingerprinter another = new Fingerprinter(new DigitMaskingTemplates(), FingerprintRules.none());

        assertThat(another.group(bookingFailure(88))).isEqualTo(fingerprinter.group(bookingFailure(88)));
        assertThat(fingerprinter.strategyNames())
                .containsExactly("fingerprint-rule", "client-fingerprint", "exception", "message-template", "fallback");
    }
}
