package io.faultline.schemas.serde;

import io.faultline.schemas.Breadcrumb;
import io.faultline.schemas.DebugImage;
import io.faultline.schemas.ErrorEvent;
import io.faultline.schemas.ExceptionValue;
import io.faultline.schemas.LogEntry;
import io.faultline.schemas.Mechanism;
import io.faultline.schemas.RequestInfo;
import io.faultline.schemas.SdkInfo;
import io.faultline.schemas.StackFrame;
import io.faultline.schemas.UserInfo;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Encoder;

/**
 * The Avro binary body of an {@link ErrorEvent}, written and read field by field. Every event
 * crosses the intake and the classifier, and Avro's reflective datum writer and reader spend most
 * of their time per field on union resolution and logical-type conversion lookups (the generated
 * classes get no custom coders because the schema holds timestamps); this codec produces exactly
 * the same bytes at a fraction of the cost.
 *
 * <p>It is written for one version of the schema, identified by the fingerprint in {@link #BODY}: {@link
 * AvroSerde} uses it only while the current schema has that fingerprint and falls back to Avro's
 * own writer and reader otherwise (and always to the reader for events written with an older
 * schema), so a schema change can never be mis-encoded — {@code BodyCodecTest} fails to
 * say the codec needs the new fields.
 */
final class ErrorEventCodec {

    /** This codec as {@link AvroSerde} uses it, for the ErrorEvent schema with this fingerprint. */
    static final BodyCodec<ErrorEvent> BODY =
            new BodyCodec<>(3938696440247818524L, ErrorEventCodec::write, ErrorEventCodec::read);

    private ErrorEventCodec() {}

    static void write(ErrorEvent e, Encoder out) throws IOException {
        out.writeString(required(e.getEventId(), "eventId"));
        out.writeString(required(e.getProjectId(), "projectId"));
        out.writeLong(required(e.getTimestamp(), "timestamp").toEpochMilli());
        out.writeLong(required(e.getReceivedAt(), "receivedAt").toEpochMilli());
        out.writeString(required(e.getLevel(), "level"));
        optional(e.getPlatform(), out);
        optional(e.getLogger(), out);
        optional(e.getServerName(), out);
        optional(e.getRelease(), out);
        optional(e.getEnvironment(), out);
        optional(e.getTransaction(), out);
        optional(e.getMessage(), out);
        LogEntry log = e.getLogentry();
        out.writeIndex(log == null ? 0 : 1);
        if (log != null) {
            out.writeString(required(log.getMessage(), "logentry.message"));
            optional(log.getFormatted(), out);
            strings(required(log.getParams(), "logentry.params"), out);
        }
        list(required(e.getExceptions(), "exceptions"), out, ErrorEventCodec::exception);
        RequestInfo r = e.getRequest();
        out.writeIndex(r == null ? 0 : 1);
        if (r != null) {
            optional(r.getUrl(), out);
            optional(r.getMethod(), out);
            optional(r.getQueryString(), out);
            map(required(r.getHeaders(), "request.headers"), out);
            optional(r.getData(), out);
            map(required(r.getEnv(), "request.env"), out);
        }
        UserInfo u = e.getUser();
        out.writeIndex(u == null ? 0 : 1);
        if (u != null) {
            optional(u.getId(), out);
            optional(u.getEmail(), out);
            optional(u.getUsername(), out);
            optional(u.getIpAddress(), out);
            optional(u.getSegment(), out);
            map(required(u.getData(), "user.data"), out);
        }
        map(required(e.getTags(), "tags"), out);
        map(required(e.getContexts(), "contexts"), out);
        map(required(e.getExtra(), "extra"), out);
        strings(required(e.getFingerprint(), "fingerprint"), out);
        SdkInfo sdk = e.getSdk();
        out.writeIndex(sdk == null ? 0 : 1);
        if (sdk != null) {
            out.writeString(required(sdk.getName(), "sdk.name"));
            optional(sdk.getVersion(), out);
        }
        list(required(e.getBreadcrumbs(), "breadcrumbs"), out, ErrorEventCodec::breadcrumb);
        list(required(e.getDebugImages(), "debugImages"), out, ErrorEventCodec::debugImage);
        out.writeString(required(e.getSource(), "source"));
    }

    private static void exception(ExceptionValue x, Encoder out) throws IOException {
        optional(x.getType(), out);
        optional(x.getValue(), out);
        optional(x.getModule(), out);
        optional(x.getThreadId(), out);
        Mechanism m = x.getMechanism();
        out.writeIndex(m == null ? 0 : 1);
        if (m != null) {
            out.writeString(required(m.getType(), "mechanism.type"));
            optional(m.getHandled(), out);
            optional(m.getSynthetic(), out);
        }
        list(required(x.getFrames(), "exceptions.frames"), out, ErrorEventCodec::frame);
    }

    private static void frame(StackFrame f, Encoder out) throws IOException {
        optional(f.getFilename(), out);
        optional(f.getAbsPath(), out);
        optional(f.getModule(), out);
        optional(f.getFunction(), out);
        optional(f.getLineno(), out);
        optional(f.getColno(), out);
        optional(f.getInApp(), out);
        optional(f.getContextLine(), out);
    }

    private static void breadcrumb(Breadcrumb b, Encoder out) throws IOException {
        Instant at = b.getTimestamp();
        out.writeIndex(at == null ? 0 : 1);
        if (at != null) {
            out.writeLong(at.toEpochMilli());
        }
        optional(b.getType(), out);
        optional(b.getCategory(), out);
        optional(b.getLevel(), out);
        optional(b.getMessage(), out);
        map(required(b.getData(), "breadcrumbs.data"), out);
    }

    private static void debugImage(DebugImage d, Encoder out) throws IOException {
        out.writeString(required(d.getType(), "debugImages.type"));
        optional(d.getCodeFile(), out);
        optional(d.getDebugId(), out);
    }

    static ErrorEvent read(BinaryDecoder in) throws IOException {
        ErrorEvent e = new ErrorEvent();
        e.setEventId(in.readString());
        e.setProjectId(in.readString());
        e.setTimestamp(Instant.ofEpochMilli(in.readLong()));
        e.setReceivedAt(Instant.ofEpochMilli(in.readLong()));
        e.setLevel(in.readString());
        e.setPlatform(optionalString(in));
        e.setLogger(optionalString(in));
        e.setServerName(optionalString(in));
        e.setRelease(optionalString(in));
        e.setEnvironment(optionalString(in));
        e.setTransaction(optionalString(in));
        e.setMessage(optionalString(in));
        if (present(in)) {
            LogEntry log = new LogEntry();
            log.setMessage(in.readString());
            log.setFormatted(optionalString(in));
            log.setParams(strings(in));
            e.setLogentry(log);
        }
        e.setExceptions(list(in, ErrorEventCodec::exception));
        if (present(in)) {
            RequestInfo r = new RequestInfo();
            r.setUrl(optionalString(in));
            r.setMethod(optionalString(in));
            r.setQueryString(optionalString(in));
            r.setHeaders(map(in));
            r.setData(optionalString(in));
            r.setEnv(map(in));
            e.setRequest(r);
        }
        if (present(in)) {
            UserInfo u = new UserInfo();
            u.setId(optionalString(in));
            u.setEmail(optionalString(in));
            u.setUsername(optionalString(in));
            u.setIpAddress(optionalString(in));
            u.setSegment(optionalString(in));
            u.setData(map(in));
            e.setUser(u);
        }
        e.setTags(map(in));
        e.setContexts(map(in));
        e.setExtra(map(in));
        e.setFingerprint(strings(in));
        if (present(in)) {
            SdkInfo sdk = new SdkInfo();
            sdk.setName(in.readString());
            sdk.setVersion(optionalString(in));
            e.setSdk(sdk);
        }
        e.setBreadcrumbs(list(in, ErrorEventCodec::breadcrumb));
        e.setDebugImages(list(in, ErrorEventCodec::debugImage));
        e.setSource(in.readString());
        return e;
    }

    private static ExceptionValue exception(BinaryDecoder in) throws IOException {
        ExceptionValue x = new ExceptionValue();
        x.setType(optionalString(in));
        x.setValue(optionalString(in));
        x.setModule(optionalString(in));
        x.setThreadId(optionalString(in));
        if (present(in)) {
            Mechanism m = new Mechanism();
            m.setType(in.readString());
            m.setHandled(present(in) ? in.readBoolean() : null);
            m.setSynthetic(present(in) ? in.readBoolean() : null);
            x.setMechanism(m);
        }
        x.setFrames(list(in, ErrorEventCodec::frame));
        return x;
    }

    private static StackFrame frame(BinaryDecoder in) throws IOException {
        StackFrame f = new StackFrame();
        f.setFilename(optionalString(in));
        f.setAbsPath(optionalString(in));
        f.setModule(optionalString(in));
        f.setFunction(optionalString(in));
        f.setLineno(present(in) ? in.readInt() : null);
        f.setColno(present(in) ? in.readInt() : null);
        f.setInApp(present(in) ? in.readBoolean() : null);
        f.setContextLine(optionalString(in));
        return f;
    }

    private static Breadcrumb breadcrumb(BinaryDecoder in) throws IOException {
        Breadcrumb b = new Breadcrumb();
        b.setTimestamp(present(in) ? Instant.ofEpochMilli(in.readLong()) : null);
        b.setType(optionalString(in));
        b.setCategory(optionalString(in));
        b.setLevel(optionalString(in));
        b.setMessage(optionalString(in));
        b.setData(map(in));
        return b;
    }

    private static DebugImage debugImage(BinaryDecoder in) throws IOException {
        DebugImage d = new DebugImage();
        d.setType(in.readString());
        d.setCodeFile(optionalString(in));
        d.setDebugId(optionalString(in));
        return d;
    }

    /** A {@code ["null", T]} union's branch: false for null, true for the value. */
    static boolean present(BinaryDecoder in) throws IOException {
        int branch = in.readIndex();
        if (branch != 0 && branch != 1) {
            throw new IOException("union branch " + branch + " out of range");
        }
        return branch == 1;
    }

    static String optionalString(BinaryDecoder in) throws IOException {
        return present(in) ? in.readString() : null;
    }

    static List<String> strings(BinaryDecoder in) throws IOException {
        return list(in, BinaryDecoder::readString);
    }

    private static Map<String, String> map(BinaryDecoder in) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (long n = in.readMapStart(); n > 0; n = in.mapNext()) {
            for (long i = 0; i < n; i++) {
                String key = in.readString();
                out.put(key, in.readString());
            }
        }
        return out;
    }

    static void optional(String value, Encoder out) throws IOException {
        out.writeIndex(value == null ? 0 : 1);
        if (value != null) {
            out.writeString(value);
        }
    }

    private static void optional(Integer value, Encoder out) throws IOException {
        out.writeIndex(value == null ? 0 : 1);
        if (value != null) {
            out.writeInt(value);
        }
    }

    private static void optional(Boolean value, Encoder out) throws IOException {
        out.writeIndex(value == null ? 0 : 1);
        if (value != null) {
            out.writeBoolean(value);
        }
    }

    static void strings(List<String> values, Encoder out) throws IOException {
        list(values, out, (v, o) -> o.writeString(required(v, "array item")));
    }

    /** An Avro array: one block of all the items, then the end marker (what Avro's writer does). */
    private static <T> void list(List<T> values, Encoder out, BodyCodec.Writer<T> item) throws IOException {
        out.writeArrayStart();
        out.setItemCount(values.size());
        for (T v : values) {
            out.startItem();
            item.write(v, out);
        }
        out.writeArrayEnd();
    }

    /** An Avro array of any number of blocks. */
    private static <T> List<T> list(BinaryDecoder in, BodyCodec.Reader<T> item) throws IOException {
        List<T> out = new ArrayList<>();
        for (long n = in.readArrayStart(); n > 0; n = in.arrayNext()) {
            for (long i = 0; i < n; i++) {
                out.add(item.read(in));
            }
        }
        return out;
    }

    private static void map(Map<String, String> values, Encoder out) throws IOException {
        out.writeMapStart();
        out.setItemCount(values.size());
        for (Map.Entry<String, String> entry : values.entrySet()) {
            out.startItem();
            out.writeString(required(entry.getKey(), "map key"));
            out.writeString(required(entry.getValue(), "map value"));
        }
        out.writeMapEnd();
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            // what Avro's own writer refuses too: a null where the schema has no null branch
            throw new org.apache.avro.AvroRuntimeException("null value for the non-null field " + field);
        }
        return value;
    }
}
