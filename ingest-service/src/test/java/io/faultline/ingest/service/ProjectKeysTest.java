package io.faultline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.faultline.ingest.config.IngestConfig;
import io.faultline.ingest.project.ProjectEntry;
import io.faultline.ingest.project.ProjectLog;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A key nobody knows yet is not a wrong key while the project list is still being read: an
 * instance that has just started (a restart, a scale-out) must not answer 401/403 to a client
 * whose project it simply has not read yet, or the SDK drops the event for good.
 */
class ProjectKeysTest {

    @Test
    void anUnknownKeyBeforeTheProjectListIsReadIsAnHonest503() {
        ProjectKeys keys = new ProjectKeys(config(), log(false));

        IngestProblem nativeApi = catchThrowableOfType(IngestProblem.class, () -> keys.authorize("42", "some-key"));
        IngestProblem sentry = catchThrowableOfType(IngestProblem.class, () -> keys.authorizeSentry("42", "some-key"));

        assertThat(nativeApi.status()).isEqualTo(503);
        assertThat(sentry.status()).isEqualTo(503);
    }

    @Test
    void anUnknownKeyOnceTheProjectListIsReadIsRefused() {
        ProjectKeys keys = new ProjectKeys(config(), log(true));

        assertThat(catchThrowableOfType(IngestProblem.class, () -> keys.authorize("42", "some-key"))
                        .status())
                .isEqualTo(401);
        assertThat(catchThrowableOfType(IngestProblem.class, () -> keys.authorizeSentry("42", "some-key"))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void aMissingKeyIsRefusedAtOnceEvenWhileLoading() {
        ProjectKeys keys = new ProjectKeys(config(), log(false));

        assertThat(catchThrowableOfType(IngestProblem.class, () -> keys.authorize("42", null))
                        .status())
                .isEqualTo(401);
    }

    private static ProjectLog log(boolean caughtUp) {
        return new ProjectLog(Map.of(), config()) {
            @Override
            public boolean caughtUp() {
                return caughtUp;
            }

            @Override
            public Optional<ProjectEntry> find(String id) {
                return Optional.empty();
            }
        };
    }

    private static IngestConfig config() {
        IngestConfig.DefaultProject project =
                stub(IngestConfig.DefaultProject.class, Map.of("id", "1", "key", Optional.of("default-key")));
        IngestConfig.Ingest ingest = stub(IngestConfig.Ingest.class, Map.of("ackTimeout", Duration.ofSeconds(3)));
        return stub(IngestConfig.class, Map.of("defaultProject", project, "ingest", ingest));
    }

    /** A configuration interface answering only the methods named. */
    private static <T> T stub(Class<T> type, Map<String, Object> answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
            Object answer = answers.get(m.getName());
            if (answer == null) {
                throw new UnsupportedOperationException(m.getName());
            }
            return answer;
        }));
    }
}
