package io.faultline.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EnvelopeParserTest {

    private final EnvelopeParser parser = new EnvelopeParser(new ObjectMapper());

    private Envelope parse(String body) throws Exception {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void itemsWithAndWithoutLength() throws Exception {
        // the spec's own example shape: explicit length may span newlines, implicit runs to \n
        Envelope e = parse("{\"event_id\":\"9ec79c33ec9942ab8353589fcb2e04dc\",\"dsn\":\"https://k@h/1\"}\n"
                + "{\"type\":\"attachment\",\"length\":10,\"filename\":\"a.txt\"}\n"
                + "Hello\nabcd\n"
                + "{\"type\":\"event\"}\n"
                + "{\"message\":\"hello\"}\n");
        assertThat(e.eventId()).isEqualTo("9ec79c33ec9942ab8353589fcb2e04dc");
        assertThat(e.dsn()).isEqualTo("https://k@h/1");
        assertThat(e.items()).extracting(Envelope.Item::type).containsExactly("attachment", "event");
        assertThat(e.items().get(0).payload()).hasSize(10);
        assertThat(new String(e.items().get(1).payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"message\":\"hello\"}");
    }

    @Test
    void lastPayloadMayEndWithoutNewlineAndHeaderOnlyEnvelopeIsValid() throws Exception {
        assertThat(parse("{}\n{\"type\":\"event\",\"length\":2}\n{}")
                        .items()
                        .get(0)
                        .payload())
                .hasSize(2);
        assertThat(parse("{}").items()).isEmpty();
        assertThat(parse("{}\n").items()).isEmpty();
        assertThat(parse("{}\n{\"type\":\"session\"}\n{\"sid\":\"x\"}").items()).hasSize(1);
    }

    @Test
    void emptyPayloadsAreItems() throws Exception {
        Envelope e = parse("{}\n{\"type\":\"attachment\",\"length\":0}\n\n{\"type\":\"client_report\"}\n");
        assertThat(e.items()).extracting(Envelope.Item::type).containsExactly("attachment", "client_report");
        assertThat(e.items()).allSatisfy(i -> assertThat(i.payload()).isEmpty());
    }

    @Test
    void malformedEnvelopesAreRefusedWithAReason() {
        assertThatThrownBy(() -> parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> parse("not json\n")).hasMessageContaining("envelope header is not valid JSON");
        assertThatThrownBy(() -> parse("[1]\n")).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> parse("{}\n{\"length\":2}\nab")).hasMessageContaining("has no type");
        assertThatThrownBy(() -> parse("{}\n{\"type\":\"event\",\"length\":50}\n{}"))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> parse("{}\n{\"type\":\"event\",\"length\":1}\n{}\n"))
                .hasMessageContaining("wrong length");
        assertThatThrownBy(() -> parse("{}\n{\"type\":\"event\",\"length\":-1}\n{}"))
                .hasMessageContaining("non-negative");
        assertThatThrownBy(() -> parser.parse(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}', '\n'}))
                .isInstanceOf(EnvelopeParser.MalformedEnvelope.class);
    }
}
