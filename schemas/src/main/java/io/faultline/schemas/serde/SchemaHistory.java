package io.faultline.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * The earlier versions of each record schema, kept as {@code avro-history/<Type>-v<N>.avsc}
 * resources. A reader registers them so that records written by an older producer still decode
 * (Avro resolves the writer schema to the reader's). A type's history only grows: removing a
 * version would strand records still on the topics.
 */
public final class SchemaHistory {

    /** Type simple name → versions kept, oldest first. Add a line here with each new version. */
    private static final Map<String, List<String>> VERSIONS = Map.of(
            "ErrorEvent", List.of("ErrorEvent-v1.avsc", "ErrorEvent-v2.avsc", "ErrorEvent-v3.avsc"),
            // ClassifiedError holds an ErrorEvent: each event version makes one of its own
            "ClassifiedError", List.of("ClassifiedError-v1.avsc", "ClassifiedError-v2.avsc"),
            "ErrorGroup", List.of("ErrorGroup-v1.avsc", "ErrorGroup-v2.avsc"));

    private SchemaHistory() {}

    /** The older schemas of the type named {@code simpleName}, oldest first; empty if none. */
    public static List<Schema> olderVersionsOf(String simpleName) {
        List<Schema> schemas = new ArrayList<>();
        for (String resource : VERSIONS.getOrDefault(simpleName, List.of())) {
            schemas.add(load("/avro-history/" + resource));
        }
        return schemas;
    }

    /** Every type that has older versions. */
    public static java.util.Set<String> typesWithHistory() {
        return VERSIONS.keySet();
    }

    static Schema load(String resource) {
        try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing: " + resource);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
