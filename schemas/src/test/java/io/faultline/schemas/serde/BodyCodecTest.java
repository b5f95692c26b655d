package io.faultline.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faultline.schemas.Breadcrumb;
import io.faultline.schemas.Classification;
import io.faultline.schemas.ClassifiedError;
import io.faultline.schemas.DebugImage;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.GroupingInfo;
import io.faultline.schemas.LogEntry;
import io.faultline.schemas.Mechanism;
import io.faultline.schemas.RequestInfo;
import io.faultline.schemas.SdkInfo;
import io.faultline.schemas.StackFrame;
import io.faultline.schemas.UserInfo;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class BodyCodecTest {

    private final AvroSerde<ErrorEvent> serde = new Serdes.ErrorEventSerde();

    /** Avro's own reflective single-object writer and reader: what the codec must agree with. */
    private final BinaryMessageEncoder<ErrorEvent> avroWriter = avroModel();

    private final BinaryMessageDecoder<ErrorEvent> avroReader =
            new BinaryMessageDecoder<>(modelWithConversions(), ErrorEvent.getClassSchema());

    @Test
    void theCodecIsWrittenForTheCurrentSchema() {
        // a schema change makes AvroSerde fall back to Avro's own writer: correct but slow.
        // Add the new fields to ErrorEventCodec and update the fingerprint in its BODY.
        assertThat(ErrorEventCodec.BODY.writes(ErrorEvent.getClassSchema()))
                .as("ErrorEventCodec.BODY is written for the ErrorEvent schema")
                .isTrue();
    }

    @Test
    void writesExactlyTheBytesAvroWritesAndReadsThemBack() throws Exception {
        Random random = new Random(42);
        List<ErrorEvent> events = new ArrayList<>(List.of(minimal(), full()));
        for (int i = 0; i < 300; i++) {
            events.add(randomEvent(random));
        }
        for (ErrorEvent event : events) {
            byte[] ours = serde.serialize("t", event);
            ByteBuffer theirs = avroWriter.encode(event);
            byte[] expected = new byte[theirs.remaining()];
            theirs.get(expected);

            assertThat(ours).as(event.toString()).isEqualTo(expected);
            assertThat(serde.deserialize("t", ours)).isEqualTo(event);
            // Avro's reader returns its own array type, whose equals() cannot compare Instants,
            // and hash maps, whose order differs
            assertThat(avroReader.decode(ours)).usingRecursiveComparison().isEqualTo(event);
        }
    }

    @Test
    void classifiedErrorsToo() throws Exception {
        assertThat(ClassifiedErrorCodec.BODY.writes(ClassifiedError.getClassSchema()))
                .as("ClassifiedErrorCodec.BODY is written for the ClassifiedError schema")
                .isTrue();
        AvroSerde<ClassifiedError> classified = new Serdes.ClassifiedErrorSerde();
        BinaryMessageEncoder<ClassifiedError> writer =
                new BinaryMessageEncoder<>(modelWithConversions(), ClassifiedError.getClassSchema());
        Random random = new Random(7);
        for (int i = 0; i < 100; i++) {
            ClassifiedError c = ClassifiedError.newBuilder()
                    .setEvent(randomEvent(random))
                    .setGroupId("g" + i)
                    .setGrouping(GroupingInfo.newBuilder()
                            .setStrategy("exception")
                            .setComponents(random.nextBoolean() ? List.of() : List.of("T", "mod.fn"))
                            .setTemplate(random.nextBoolean() ? null : "timed out after <num>ms")
                            .setTitle("T: timed out")
                            .setCulprit(random.nextBoolean() ? null : "mod.fn")
                            .build())
                    .setClassification(Classification.newBuilder()
                            .setSeverity("high")
                            .setCategory("database")
                            .setBusinessImpact("user_blocking")
                            .setWorkflow(random.nextBoolean() ? null : "booking")
                            .setRules(List.of("rule-" + i))
                            .build())
                    .setClassifiedAt(Instant.ofEpochMilli(1_700_000_000_000L + i))
                    .build();
            byte[] ours = classified.serialize("t", c);
            ByteBuffer theirs = writer.encode(c);
            byte[] expected = new byte[theirs.remaining()];
            theirs.get(expected);

            assertThat(ours).isEqualTo(expected);
            assertThat(classified.deserialize("t", ours)).isEqualTo(c);
            // built around the event's own bytes: the same record
            assertThat(ClassifiedErrorBytes.around(serde.serialize("t", c.getEvent()), c))
                    .isEqualTo(expected);
            // event bytes of another schema version are not copied: the record is encoded whole
            byte[] otherVersion = serde.serialize("t", c.getEvent());
            otherVersion[5] ^= 0x55;
            assertThat(ClassifiedErrorBytes.around(otherVersion, c)).isEqualTo(expected);
        }
    }

    @Test
    void decodeWholeSaysWhetherTheBytesAreExactlyOneCurrentValue() {
        byte[] exact = serde.serialize("t", full());
        byte[] trailing = Arrays.copyOf(exact, exact.length + 2);
        byte[] otherVersion = exact.clone();
        otherVersion[9] ^= 0x01;

        assertThat(serde.decodeWhole(exact).wholeCurrentBytes()).isTrue();
        assertThat(serde.decodeWhole(exact).value()).isEqualTo(full());
        assertThat(serde.decodeWhole(trailing).wholeCurrentBytes()).isFalse();
        assertThat(serde.decodeWhole(trailing).value()).isEqualTo(full());
        assertThatThrownBy(() -> serde.decodeWhole(otherVersion)).isInstanceOf(SchemaDecodeException.class);
    }

    @Test
    void aNullInARequiredFieldIsRefusedLikeAvroRefusesIt() {
        ErrorEvent event = minimal();
        event.setLevel(null);

        assertThatThrownBy(() -> serde.serialize("t", event))
                .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
                .hasStackTraceContaining("level");
        // the half-written event leaves nothing behind for the next one
        ErrorEvent next = full();
        assertThat(serde.deserialize("t", serde.serialize("t", next))).isEqualTo(next);
    }

    @Test
    void aTruncatedOrGarbledBodyIsACorruptBody() {
        byte[] bytes = serde.serialize("t", full());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);
        byte[] garbled = bytes.clone();
        Arrays.fill(garbled, 40, 60, (byte) 0xFF);

        for (byte[] broken : List.of(truncated, garbled)) {
            assertThatThrownBy(() -> serde.decode(broken))
                    .isInstanceOfSatisfying(SchemaDecodeException.class, e -> assertThat(e.reason())
                            .isEqualTo(SchemaDecodeException.Reason.CORRUPT_BODY));
        }
    }

    static ErrorEvent minimal() {
        return ErrorEvent.newBuilder()
                .setEventId("0123456789abcdef0123456789abcdef")
                .setProjectId("1")
                .setTimestamp(Instant.ofEpochMilli(0))
                .setReceivedAt(Instant.ofEpochMilli(-1))
                .setLevel("info")
                .setSource("native")
                .build();
    }

    static ErrorEvent full() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", "curl/8");
        headers.put("Accept", "*/*");
        return ErrorEvent.newBuilder()
                .setEventId("fedcba9876543210fedcba9876543210")
                .setProjectId("42")
                .setTimestamp(Instant.parse("2026-11-30T10:15:30.123Z"))
                .setReceivedAt(Instant.parse("2026-11-30T10:15:31Z"))
                .setLevel("fatal")
                .setPlatform("java")
                .setLogger("com.example.Payments")
                .setServerName("pay-1")
                .setRelease("shop@1.4.2")
                .setEnvironment("production")
                .setTransaction("POST /checkout")
                .setMessage("Zahlung abgelehnt — 支付被拒绝 🙁")
                .setLogentry(LogEntry.newBuilder()
                        .setMessage("charge %s failed")
                        .setFormatted("charge ch_1 failed")
                        .setParams(List.of("ch_1"))
                        .build())
                .setExceptions(List.of(
                        ExceptionValue.newBuilder()
                                .setType("java.net.SocketTimeoutException")
                                .setValue("Read timed out")
                                .setModule("java.net")
                                .setThreadId("main")
                                .setMechanism(Mechanism.newBuilder()
                                        .setType("generic")
                                        .setHandled(false)
                                        .setSynthetic(true)
                                        .build())
                                .setFrames(List.of(
                                        StackFrame.newBuilder()
                                                .setFilename("Gateway.java")
                                                .setAbsPath("/app/Gateway.java")
                                                .setModule("com.example.Gateway")
                                                .setFunction("charge")
                                                .setLineno(120)
                                                .setColno(-3)
                                                .setInApp(true)
                                                .setContextLine("client.send(request);")
                                                .build(),
                                        StackFrame.newBuilder().build()))
                                .build(),
                        ExceptionValue.newBuilder().build()))
                .setRequest(RequestInfo.newBuilder()
                        .setUrl("https://shop.example/checkout")
                        .setMethod("POST")
                        .setQueryString("a=1")
                        .setHeaders(headers)
                        .setData("{\"cart\":3}")
                        .setEnv(Map.of("REMOTE_ADDR", "10.0.0.1"))
                        .build())
                .setUser(UserInfo.newBuilder()
                        .setId("u1")
                        .setEmail("a@example.com")
                        .setUsername("alice")
                        .setIpAddress("10.0.0.2")
                        .setSegment("gold")
                        .setData(Map.of("plan", "pro"))
                        .build())
                .setTags(Map.of("workflow", "payment_processing"))
                .setContexts(Map.of("os", "{\"name\":\"Linux\"}"))
                .setExtra(Map.of("attempt", "3"))
                .setFingerprint(List.of("{{ default }}", "payments"))
                .setSdk(SdkInfo.newBuilder()
                        .setName("sentry.java")
                        .setVersion("8.63.0")
                        .build())
                .setBreadcrumbs(List.of(
                        Breadcrumb.newBuilder()
                                .setTimestamp(Instant.parse("2026-11-30T10:15:29Z"))
                                .setType("http")
                                .setCategory("xhr")
                                .setLevel("info")
                                .setMessage("GET /cart")
                                .setData(Map.of("url", "https://shop.example/cart", "status_code", "500"))
                                .build(),
                        Breadcrumb.newBuilder().build()))
                .setDebugImages(List.of(
                        DebugImage.newBuilder()
                                .setCodeFile("https://shop.example/assets/index-4f2a.js")
                                .setDebugId("c0ffee00-1234-4abc-9def-000000000001")
                                .build(),
                        DebugImage.newBuilder().build()))
                .setSource("sentry")
                .build();
    }

    /** Every optional field present or absent at random, collections of 0–3 items. */
    static ErrorEvent randomEvent(Random r) {
        ErrorEvent e = full();
        e.setTimestamp(Instant.ofEpochMilli(r.nextLong() >> 20));
        e.setPlatform(maybe(r, "python"));
        e.setLogger(maybe(r, "root"));
        e.setServerName(maybe(r, "h" + r.nextInt()));
        e.setRelease(maybe(r, "1." + r.nextInt(100)));
        e.setEnvironment(maybe(r, "staging"));
        e.setTransaction(maybe(r, "GET /x"));
        e.setMessage(maybe(r, "m".repeat(r.nextInt(300))));
        e.setLogentry(r.nextBoolean() ? null : e.getLogentry());
        e.setRequest(r.nextBoolean() ? null : e.getRequest());
        e.setUser(r.nextBoolean() ? null : e.getUser());
        e.setSdk(r.nextBoolean() ? null : e.getSdk());
        List<ExceptionValue> exceptions = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            List<StackFrame> frames = new ArrayList<>();
            for (int f = r.nextInt(4); f > 0; f--) {
                frames.add(StackFrame.newBuilder()
                        .setModule(maybe(r, "mod" + f))
                        .setFunction(maybe(r, "fn"))
                        .setLineno(r.nextBoolean() ? null : r.nextInt())
                        .setColno(r.nextBoolean() ? null : r.nextInt(1000))
                        .setInApp(r.nextBoolean() ? null : r.nextBoolean())
                        .build());
            }
            exceptions.add(ExceptionValue.newBuilder()
                    .setType(maybe(r, "T" + i))
                    .setValue(maybe(r, "v"))
                    .setMechanism(
                            r.nextBoolean()
                                    ? null
                                    : Mechanism.newBuilder()
                                            .setType("onerror")
                                            .setHandled(r.nextBoolean() ? null : r.nextBoolean())
                                            .build())
                    .setFrames(frames)
                    .build());
        }
        e.setExceptions(exceptions);
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            tags.put("k" + i, "v" + r.nextInt());
        }
        e.setTags(tags);
        e.setFingerprint(r.nextBoolean() ? List.of() : List.of("a", "b"));
        List<Breadcrumb> crumbs = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            Map<String, String> data = new LinkedHashMap<>();
            for (int k = r.nextInt(4); k > 0; k--) {
                data.put("d" + k, "v" + r.nextInt());
            }
            crumbs.add(Breadcrumb.newBuilder()
                    .setMessage(maybe(r, "crumb"))
                    .setData(data)
                    .build());
        }
        e.setBreadcrumbs(crumbs);
        List<DebugImage> images = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            images.add(DebugImage.newBuilder()
                    .setCodeFile(maybe(r, "https://cdn.example/a" + i + ".js"))
                    .setDebugId(maybe(r, "c0ffee00-1234-4abc-9def-00000000000" + i))
                    .build());
        }
        e.setDebugImages(images);
        return e;
    }

    private static String maybe(Random r, String value) {
        return r.nextBoolean() ? null : value;
    }

    private static BinaryMessageEncoder<ErrorEvent> avroModel() {
        return new BinaryMessageEncoder<>(modelWithConversions(), ErrorEvent.getClassSchema());
    }

    private static SpecificData modelWithConversions() {
        SpecificData model = new SpecificData(ErrorEvent.class.getClassLoader());
        SpecificData.getForClass(ErrorEvent.class).getConversions().forEach(model::addLogicalTypeConversion);
        SpecificData.getForClass(ClassifiedError.class).getConversions().forEach(model::addLogicalTypeConversion);
        return model;
    }
}
