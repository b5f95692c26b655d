package io.faultline.classifier.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.schemas.ErrorEvent;
import org.junit.jupiter.api.Test;

class SentryEventJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsTheShapesSdksSend() throws Exception {
        ErrorEvent event = SentryEventJson.read(
                JSON.readTree(
                        """
                {"event_id": "e1", "platform": "python", "message": {"formatted": "boom"},
                 "tags": [["http.status_code", "503"], ["workflow", "booking"]],
                 "request": {"url": "https://x.test/api/bookings?x=1", "method": "POST"},
                 "exception": {"values": [{"type": "OperationalError", "module": "psycopg2", "value": "down",
                   "mechanism": {"type": "django", "handled": false},
                   "stacktrace": {"frames": [{"module": "shop.views", "function": "book", "in_app": true}]}}]}}
                """));

        assertThat(event.getMessage()).isEqualTo("boom");
        assertThat(event.getTags()).containsEntry("http.status_code", "503");
        assertThat(event.getRequest().getUrl()).isEqualTo("https://x.test/api/bookings?x=1");
        assertThat(event.getExceptions().get(0).getMechanism().getHandled()).isFalse();
        assertThat(event.getExceptions().get(0).getFrames().get(0).getInApp()).isTrue();
        assertThat(ClassificationInput.from(event, "g", null).httpStatus()).isEqualTo(503);
    }

    /**
     * A log message captured as an error (Java's logback/log4j appenders, Python's logging
     * integration) comes as a logentry alone; ingest makes its formatted text, else its template,
     * the event's message, and the offline classifier must read it as the stack would.
     */
    @Test
    void aLogEntryAloneGivesTheMessageAsIngestDoes() throws Exception {
        ErrorEvent template = SentryEventJson.read(
                JSON.readTree(
                        """
                {"event_id": "e2", "platform": "java", "level": "warning",
                 "logentry": {"message": "Slow query: {} ms", "params": ["4830"]}}
                """));
        ErrorEvent formatted = SentryEventJson.read(
                JSON.readTree(
                        """
                {"event_id": "e3", "logentry": {"message": "Slow query: {} ms", "formatted": "Slow query: 4830 ms"}}
                """));

        assertThat(template.getMessage()).isEqualTo("Slow query: {} ms");
        assertThat(template.getLogentry().getParams()).containsExactly("4830");
        assertThat(formatted.getMessage()).isEqualTo("Slow query: 4830 ms");
    }

    @Test
    void readsTheLabelledFilesFlatForm() throws Exception {
        ErrorEvent event = SentryEventJson.read(JSON.readTree(
                "{\"id\": \"ev-1\", \"handled\": true, \"exceptions\": [{\"type\": \"E\", \"value\": \"v\"}]}"));

        assertThat(event.getEventId()).isEqualTo("ev-1");
        assertThat(event.getExceptions().get(0).getMechanism().getHandled()).isTrue();
    }

    @Test
    void refusesWhatIsNotAnEvent() throws Exception {
        assertThatThrownBy(() -> SentryEventJson.read(JSON.readTree("[1]"))).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> SentryEventJson.read(JSON.readTree("{\"exception\": {\"values\": [3]}}")))
                .hasMessageContaining("exception.values[0]");
    }
}
