package io.faultline.ingest.mapping;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes every string of an event one that PostgreSQL's UTF-8 {@code text} stores: U+0000 (which
 * {@code text} cannot hold at all: the impact-service dead-lettered such events after ingest had
 * answered 2xx) and unpaired surrogates (which have no UTF-8 form: the encoder would write
 * {@code ?}) become U+FFFD, the replacement character, in values and in map keys alike. Every other
 * code point stays as sent: C0 controls, noncharacters, BOM, RTL overrides are all valid text.
 *
 * <p>It runs once on the mapped and scrubbed event, whichever mapper made it, so both paths give
 * the same bytes. A string is copied only when it holds such a character: almost none do, and the
 * check is one pass over the characters.
 */
public final class StorableText {

    /** What takes the place of a character PostgreSQL text refuses. */
    public static final char REPLACEMENT = '\uFFFD';

    private StorableText() {}

    /** @return the same event, its strings made storable in place */
    public static ErrorEvent clean(ErrorEvent e) {
        e.setEventId(of(e.getEventId()));
        e.setProjectId(of(e.getProjectId()));
        e.setLevel(of(e.getLevel()));
        e.setPlatform(of(e.getPlatform()));
        e.setLogger(of(e.getLogger()));
        e.setServerName(of(e.getServerName()));
        e.setRelease(of(e.getRelease()));
        e.setEnvironment(of(e.getEnvironment()));
        e.setTransaction(of(e.getTransaction()));
        e.setMessage(of(e.getMessage()));
        e.setSource(of(e.getSource()));
        LogEntry log = e.getLogentry();
        if (log != null) {
            log.setMessage(of(log.getMessage()));
            log.setFormatted(of(log.getFormatted()));
            log.setParams(list(log.getParams()));
        }
        for (ExceptionValue x : e.getExceptions()) {
            x.setType(of(x.getType()));
            x.setValue(of(x.getValue()));
            x.setModule(of(x.getModule()));
            x.setThreadId(of(x.getThreadId()));
            Mechanism m = x.getMechanism();
            if (m != null) {
                m.setType(of(m.getType()));
            }
            for (StackFrame f : x.getFrames()) {
                f.setFilename(of(f.getFilename()));
                f.setAbsPath(of(f.getAbsPath()));
                f.setModule(of(f.getModule()));
                f.setFunction(of(f.getFunction()));
                f.setContextLine(of(f.getContextLine()));
            }
        }
        RequestInfo r = e.getRequest();
        if (r != null) {
            r.setUrl(of(r.getUrl()));
            r.setMethod(of(r.getMethod()));
            r.setQueryString(of(r.getQueryString()));
            r.setData(of(r.getData()));
            r.setHeaders(map(r.getHeaders()));
            r.setEnv(map(r.getEnv()));
        }
        UserInfo u = e.getUser();
        if (u != null) {
            u.setId(of(u.getId()));
            u.setEmail(of(u.getEmail()));
            u.setUsername(of(u.getUsername()));
            u.setIpAddress(of(u.getIpAddress()));
            u.setSegment(of(u.getSegment()));
            u.setData(map(u.getData()));
        }
        e.setTags(map(e.getTags()));
        e.setContexts(map(e.getContexts()));
        e.setExtra(map(e.getExtra()));
        e.setFingerprint(list(e.getFingerprint()));
        SdkInfo sdk = e.getSdk();
        if (sdk != null) {
            sdk.setName(of(sdk.getName()));
            sdk.setVersion(of(sdk.getVersion()));
        }
        for (Breadcrumb b : e.getBreadcrumbs()) {
            b.setType(of(b.getType()));
            b.setCategory(of(b.getCategory()));
            b.setLevel(of(b.getLevel()));
            b.setMessage(of(b.getMessage()));
            b.setData(map(b.getData()));
        }
        for (DebugImage d : e.getDebugImages()) {
            d.setCodeFile(of(d.getCodeFile()));
        }
        return e;
    }

    /** The string itself when it is storable (the usual case, no copy), else a repaired copy. */
    public static String of(String s) {
        return s == null || storable(s) ? s : repaired(s);
    }

    /** Whether PostgreSQL text takes the string as it is: no U+0000, no unpaired surrogate. */
    public static boolean storable(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++; // a pair: one code point beyond the BMP
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    private static String repaired(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                out.append(REPLACEMENT);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static List<String> list(List<String> values) {
        if (values == null) {
            return null;
        }
        List<String> out = null;
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v != null && !storable(v)) {
                if (out == null) {
                    out = new ArrayList<>(values);
                }
                out.set(i, repaired(v));
            }
        }
        return out == null ? values : out;
    }

    /**
     * The map itself when every key and value is storable, else a copy in the same order. Two keys
     * that become equal once repaired keep the first one's place and the last one's value, as a
     * JSON object with a repeated key does.
     */
    private static Map<String, String> map(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return map;
        }
        boolean clean = true;
        for (Map.Entry<String, String> entry : map.entrySet()) {
            if (!storable(entry.getKey()) || (entry.getValue() != null && !storable(entry.getValue()))) {
                clean = false;
                break;
            }
        }
        if (clean) {
            return map;
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(of(k), of(v)));
        return out;
    }
}
