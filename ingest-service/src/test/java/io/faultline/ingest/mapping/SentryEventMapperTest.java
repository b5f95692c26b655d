package io.faultline.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.ingest.service.IngestProblem;
import io.faultline.schemas.ErrorEvent;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SentryEventMapperTest {

    private final SentryEventMapper mapper = new SentryEventMapper(Duration.ofMinutes(5), Duration.ofDays(30));
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void eventIdsAreUuidsWithOrWithoutDashesInAnyCase() {
        assertThat(SentryEventMapper.hex32("0123456789ABCDEF0123456789abcdef"))
                .isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(SentryEventMapper.hex32("01234567-89ab-cdef-0123-456789abcdef"))
                .isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(SentryEventMapper.hex32("0123456789abcdef0123456789abcde")).isNull();
        assertThat(SentryEventMapper.hex32("0123456789abcdef0123456789abcdef0")).isNull();
        assertThat(SentryEventMapper.hex32("0123456789abcdef0123456789abcdeg")).isNull();
        assertThat(SentryEventMapper.hex32("")).isNull();
    }

    @Test
    void framesMapInOrderAndABadFrameFieldIsNamedWithItsIndex() throws Exception {
        String ok = "{\"exception\":{\"values\":[{\"type\":\"E\",\"stacktrace\":{\"frames\":["
                + "{\"module\":\"a\",\"function\":\"f\",\"lineno\":1,\"in_app\":true},"
                + "{\"filename\":\"B.java\",\"colno\":7,\"context_line\":\"x()\"}]}}]}}";
        ErrorEvent event = mapper.map(json.readTree(ok), "1", Instant.now(), "native", null);
        var frames = event.getExceptions().get(0).getFrames();
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0).getModule()).isEqualTo("a");
        assertThat(frames.get(0).getLineno()).isEqualTo(1);
        assertThat(frames.get(0).getInApp()).isTrue();
        assertThat(frames.get(1).getFilename()).isEqualTo("B.java");
        assertThat(frames.get(1).getColno()).isEqualTo(7);
        assertThat(frames.get(1).getInApp()).isNull();
        assertThat(frames.get(1).getContextLine()).isEqualTo("x()");

        String bad = "{\"exception\":{\"values\":[{\"type\":\"E\",\"stacktrace\":{\"frames\":["
                + "{\"module\":\"a\"},{\"lineno\":\"seven\",\"function\":{\"n\":1}}]}}]}}";
        IngestProblem problem = catchThrowableOfType(
                IngestProblem.class, () -> mapper.map(json.readTree(bad), "1", Instant.now(), "native", null));
        assertThat(problem.errors())
                .extracting(IngestProblem.FieldError::field)
                .containsExactlyInAnyOrder(
                        "exception.values[0].stacktrace.frames[1].lineno",
                        "exception.values[0].stacktrace.frames[1].function");
    }
}
