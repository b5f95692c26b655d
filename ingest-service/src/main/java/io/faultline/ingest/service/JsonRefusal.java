package io.faultline.ingest.service;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * The 400 for JSON the parser refused, naming the field and the reason. Jackson's read limits
 * ({@code StreamReadConstraints}: nesting depth, number, name and string length) are reported
 * without a location, so for them the bytes are read again up to the limit to name the field
 * where it was met: hostile input pays for that, valid input never does.
 */
public final class JsonRefusal {

    /** A field path longer than this (a thousand nested arrays) is cut: it goes into a header. */
    private static final int MAX_FIELD_CHARS = 120;

    private JsonRefusal() {}

    /**
     * @param type the problem's type ({@code invalid-event}, {@code malformed})
     * @param what starts the detail: "malformed JSON", "event item is not valid JSON"
     */
    public static IngestProblem of(
            String type,
            String what,
            JsonProcessingException e,
            ObjectMapper json,
            byte[] body,
            int offset,
            int length) {
        String reason = reason(e);
        String field = e instanceof StreamConstraintsException ? fieldOfFailure(json, body, offset, length) : "";
        JsonLocation at = e.getLocation();
        String where = !field.isEmpty()
                ? " at " + field
                : at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new IngestProblem(
                400, type, what + where + ": " + reason, List.of(new IngestProblem.FieldError(field, reason)));
    }

    /** The parser's reason, without the name of the Jackson setting that holds a limit. */
    public static String reason(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        // "... exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)"
        int from = message.indexOf(", from `");
        int to = from < 0 ? -1 : message.indexOf('`', from + 8);
        return to < 0 ? message : message.substring(0, from) + message.substring(to + 1);
    }

    /**
     * The JSON pointer of the value being read where reading the bytes fails ("" at the top):
     * every string and number is read in full, as a tree would, so that their limits apply.
     */
    static String fieldOfFailure(ObjectMapper json, byte[] body, int offset, int length) {
        try (JsonParser p = json.getFactory().createParser(body, offset, length)) {
            json.getDeserializationConfig().initialize(p);
            try {
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    if (t == JsonToken.VALUE_STRING) {
                        p.getText();
                    } else if (t.isNumeric()) {
                        p.getNumberValue();
                    }
                }
            } catch (IOException | RuntimeException e) {
                String pointer = p.getParsingContext().pathAsPointer().toString();
                return pointer.length() <= MAX_FIELD_CHARS ? pointer : pointer.substring(0, MAX_FIELD_CHARS) + "...";
            }
            return "";
        } catch (IOException e) {
            return "";
        }
    }
}
