package io.faultline.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.schemas.topics.Topic;
import io.faultline.schemas.topics.Topics;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/** The build check that each schema version can read every version kept before it. */
class SchemaCompatibilityTest {

    @Test
    void everyCurrentSchemaReadsAllItsOlderVersions() throws Exception {
        assertThat(SchemaHistory.typesWithHistory()).isNotEmpty();
        for (String type : SchemaHistory.typesWithHistory()) {
            Schema current = current(type);
            for (Schema older : SchemaHistory.olderVersionsOf(type)) {
                var result = SchemaCompatibility.checkReaderWriterCompatibility(current, older);
                assertThat(result.getType())
                        .as("%s current reads %s: %s", type, older.getDoc(), result.getDescription())
                        .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
            }
        }
    }

    /** A current schema; ClassifiedError refers to ErrorEvent by name, so that one is parsed first. */
    private Schema current(String type) throws java.io.IOException {
        Schema.Parser parser = new Schema.Parser();
        Schema event = parser.parse(getClass().getResourceAsStream("/avro-current/ErrorEvent.avsc"));
        return type.equals("ErrorEvent")
                ? event
                : parser.parse(getClass().getResourceAsStream("/avro-current/" + type + ".avsc"));
    }

    @Test
    void generatedClassesMatchTheShippedSchemas() throws Exception {
        // one parser, ErrorEvent first: ClassifiedError refers to it by name
        Schema.Parser parser = new Schema.Parser();
        parser.parse(getClass().getResourceAsStream("/avro-current/ErrorEvent.avsc"));
        for (Topic<?, ?> topic : Topics.all()) {
            if (topic.valueSerde() instanceof AvroSerde<?> avro) {
                String name = avro.type().getSimpleName();
                Schema shipped = name.equals("ErrorEvent")
                        ? parser.getTypes().get("io.faultline.schemas.ErrorEvent")
                        : parser.parse(getClass().getResourceAsStream("/avro-current/" + name + ".avsc"));
                // the fingerprint the wire format carries: generated code adds only Java hints
                assertThat(SchemaNormalization.parsingFingerprint64(
                                SpecificData.get().getSchema(avro.type())))
                        .as(topic.name())
                        .isEqualTo(SchemaNormalization.parsingFingerprint64(shipped));
            }
        }
    }

    @Test
    void deadLetterTopicsAreNamedAfterTheirSource() {
        assertThat(Topics.deadLetterName("faultline.events.raw.v1")).isEqualTo("faultline.events.raw.dlq.v1");
        assertThat(Topics.all()).extracting(Topic::name).doesNotHaveDuplicates();
    }
}
