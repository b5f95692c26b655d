package io.faultline.impact;

import io.faultline.devstack.KafkaTestClient;
import io.faultline.schemas.Breadcrumb;
import io.faultline.schemas.Classification;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.LogEntry;
import io.faultline.schemas.Mechanism;
import io.faultline.schemas.RequestInfo;
import io.faultline.schemas.ResolutionEvent;
import io.faultline.schemas.SdkInfo;
import io.faultline.schemas.StackFrame;
import io.faultline.schemas.TrafficSample;
import io.faultline.schemas.UserInfo;
import io.faultline.schemas.topics.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/** Builds and sends the records the impact service consumes, through the real broker. */
public final class ImpactFixtures {

    private final KafkaTestClient kafka =
            new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));

    public static ClassifiedError error(
            String project,
            String eventId,
            String groupId,
            Instant at,
            String transaction,
            String workflow,
            String severity,
            String impact) {
        return ClassifiedError.newBuilder()
                .setEvent(ErrorEvent.newBuilder()
                        .setEventId(eventId)
                        .setProjectId(project)
                        .setTimestamp(at)
                        .setReceivedAt(at)
                        .setTransaction(transaction)
                        .setMessage("failure in " + groupId)
                        .build())
                .setGroupId(groupId)
                .setGrouping(GroupingInfo.newBuilder()
                        .setStrategy("message")
                        .setComponents(List.of("message=failure in " + groupId))
                        .setTitle("failure in " + groupId)
                        .build())
                .setClassification(Classification.newBuilder()
                        .setSeverity(severity)
                        .setCategory("business_logic")
                        .setBusinessImpact(impact)
                        .setWorkflow(workflow)
                        .build())
                .setClassifiedAt(at)
                .build();
    }

    /**
     * The error, its event given (in place) what the loadgen's sample events carry once ingest took them
     * ({@code SampleEvents.json}): platform, release, environment, tags, a hashed user id, one
     * exception whose two frames are a server's and the application's own.
     */
    public static ClassifiedError sample(ClassifiedError c, int i) {
        // in place: an Avro builder's deep copy fails across Quarkus' class loaders in a @QuarkusTest
        ErrorEvent e = c.getEvent();
        e.setLevel("error");
        e.setPlatform("java");
        e.setRelease("shop@1.4." + i % 3);
        e.setEnvironment("production");
        e.setTags(Map.of("service", "bench", "workflow", "booking"));
        e.setUser(UserInfo.newBuilder()
                .setId("sha256:" + Integer.toHexString(("u" + i).hashCode()) + "9f1c2a7be0d4")
                .build());
        e.setExceptions(List.of(ExceptionValue.newBuilder()
                .setType("java.sql.SQLTransientConnectionException")
                .setValue("HikariPool-1 - Connection is not available, request timed out after " + (i % 90_000) + "ms.")
                .setFrames(List.of(
                        frame("org.eclipse.jetty.server.HttpChannel", "handle", 479, false, null),
                        frame("com.example.booking.BookingRepository", "save", 20 + i % 380, true, null)))
                .build()));
        return c;
    }

    /**
     * The error, its event made (in place) what an official SDK sends from a web request: a two-exception chain with a
     * real-sized stack (framework frames around the application's, source lines on the latter), the
     * request with headers, the user, tags, contexts, breadcrumbs and the SDK. {@code text} goes
     * into every free-text field, so a test can seed hostile text everywhere.
     */
    public static ClassifiedError rich(ClassifiedError c, String text) {
        List<StackFrame> frames = new java.util.ArrayList<>();
        for (int k = 0; k < 14; k++) {
            frames.add(frame("org.springframework.web.servlet.FrameworkServlet", "service" + k, 100 + k, false, null));
        }
        frames.add(frame("com.example.booking.BookingController", "book", 57, true, "bookings.save(" + text + ");"));
        frames.add(frame("com.example.booking.BookingService", "reserve", 88, true, "repository.save(booking);"));
        for (int k = 0; k < 6; k++) {
            frames.add(frame("com.zaxxer.hikari.pool.HikariPool", "getConnection" + k, 180 + k, false, null));
        }
        ErrorEvent e = c.getEvent();
        e.setLevel("error");
        e.setPlatform("java");
        e.setServerName("booking-7d9f");
        e.setRelease("booking@2.3.1");
        e.setEnvironment("production");
        e.setTransaction("POST /api/bookings");
        e.setMessage(text);
        e.setLogentry(LogEntry.newBuilder()
                .setMessage("booking %s failed")
                .setFormatted("booking " + text + " failed")
                .setParams(List.of(text))
                .build());
        e.setTags(Map.of("service", "booking", "browser", "Chrome 131", "custom", text));
        e.setContexts(Map.of(
                "os", "{\"name\":\"Linux\",\"version\":\"6.1\"}",
                "runtime", "{\"name\":\"OpenJDK\",\"version\":\"17.0.12\"}"));
        e.setUser(UserInfo.newBuilder()
                .setId("sha256:5e884898da28047151d0e56f8dc6292773603d0d")
                .setSegment(text)
                .build());
        e.setRequest(RequestInfo.newBuilder()
                .setMethod("POST")
                .setUrl("https://shop.example/api/bookings")
                .setHeaders(Map.of("User-Agent", text, "Accept", "application/json"))
                .build());
        e.setSdk(SdkInfo.newBuilder()
                .setName("sentry.java.spring-boot")
                .setVersion("7.14.0")
                .build());
        e.setBreadcrumbs(List.of(
                Breadcrumb.newBuilder()
                        .setCategory("http")
                        .setMessage("GET /api/slots 200")
                        .setData(Map.of("method", "GET", "status_code", "200"))
                        .build(),
                Breadcrumb.newBuilder().setCategory("db").setMessage(text).build()));
        e.setExceptions(List.of(
                ExceptionValue.newBuilder()
                        .setType("java.net.SocketTimeoutException")
                        .setValue("Read timed out")
                        .setFrames(frames.subList(frames.size() - 6, frames.size()))
                        .build(),
                ExceptionValue.newBuilder()
                        .setType("org.springframework.dao.DataAccessResourceFailureException")
                        .setValue(text)
                        .setModule("org.springframework.dao")
                        .setMechanism(Mechanism.newBuilder()
                                .setType("onerror")
                                .setHandled(false)
                                .build())
                        .setFrames(frames)
                        .build()));
        return c;
    }

    private static StackFrame frame(String module, String function, int line, boolean inApp, String source) {
        return StackFrame.newBuilder()
                .setModule(module)
                .setFunction(function)
                .setFilename(module.substring(module.lastIndexOf('.') + 1) + ".java")
                .setLineno(line)
                .setInApp(inApp)
                .setContextLine(source)
                .build();
    }

    public static TrafficSample traffic(
            String sampleId, String project, String transaction, Instant start, Instant end, long requests) {
        return TrafficSample.newBuilder()
                .setSampleId(sampleId)
                .setProjectId(project)
                .setTransaction(transaction)
                .setWindowStart(start)
                .setWindowEnd(end)
                .setRequests(requests)
                .build();
    }

    public static ResolutionEvent resolution(
            String entryId, String project, String groupId, String eventId, Instant at, String phase) {
        return ResolutionEvent.newBuilder()
                .setEntryId(entryId)
                .setAttemptId("attempt-" + groupId)
                .setGroupId(groupId)
                .setProjectId(project)
                .setEventId(eventId)
                .setTimestamp(at)
                .setPhase(phase)
                .setRunbookId("restart-worker")
                .build();
    }

    public void send(ClassifiedError c) {
        kafka.produce(
                Topics.ERRORS_CLASSIFIED.name(),
                c.getGroupId(),
                Topics.ERRORS_CLASSIFIED.valueSerde().serializer().serialize("t", c));
    }

    public void send(TrafficSample t) {
        kafka.produce(
                Topics.TRAFFIC.name(),
                t.getProjectId(),
                Topics.TRAFFIC.valueSerde().serializer().serialize("t", t));
    }

    public void send(ResolutionEvent r) {
        kafka.produce(
                Topics.RESOLUTIONS.name(),
                r.getGroupId(),
                Topics.RESOLUTIONS.valueSerde().serializer().serialize("t", r));
    }

    public void sendRaw(String topic, byte[] bytes) {
        kafka.produce(topic, "x", bytes);
    }

    /** JSON decimals as doubles (RestAssured defaults to floats, which cannot be compared exactly). */
    public static void decimalsAsDoubles() {
        io.restassured.RestAssured.config = io.restassured.RestAssured.config()
                .jsonConfig(io.restassured.config.JsonConfig.jsonConfig()
                        .numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));
    }

    public static String eventId(String prefix, int i) {
        String hex = Integer.toHexString(prefix.hashCode()) + String.format("%08x", i);
        return (hex + "0".repeat(32)).substring(0, 32);
    }
}
