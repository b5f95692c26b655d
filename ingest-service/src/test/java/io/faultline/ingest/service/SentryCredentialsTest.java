package io.faultline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SentryCredentialsTest {

    @Test
    void keyFromEachPlace() {
        assertThat(SentryCredentials.resolve(
                                "Sentry sentry_version=7, sentry_client=sentry.java/8.0.0, sentry_key=abc",
                                null,
                                null,
                                null)
                        .publicKey())
                .isEqualTo("abc");
        assertThat(SentryCredentials.resolve(null, "Sentry sentry_key=abc,sentry_version=7", null, null)
                        .publicKey())
                .isEqualTo("abc");
        assertThat(SentryCredentials.resolve(null, null, "abc", null).publicKey())
                .isEqualTo("abc");
        SentryCredentials.Presented fromDsn =
                SentryCredentials.resolve(null, null, null, "http://abc@localhost:8081/42");
        assertThat(fromDsn.publicKey()).isEqualTo("abc");
        assertThat(fromDsn.dsnProjectId()).isEqualTo("42");
        assertThat(SentryCredentials.resolve(null, null, null, "https://abc:secret@o1.example/sub/7/")
                        .dsnProjectId())
                .isEqualTo("7");
    }

    @Test
    void sameKeyTwiceIsFineDifferentKeysAreRefused() {
        assertThat(SentryCredentials.resolve("Sentry sentry_key=abc", null, "abc", "http://abc@h/1")
                        .publicKey())
                .isEqualTo("abc");
        assertThatThrownBy(() -> SentryCredentials.resolve("Sentry sentry_key=abc", null, "xyz", null))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(400));
    }

    @Test
    void noKeyIsUnauthorized() {
        assertThatThrownBy(() -> SentryCredentials.resolve(null, "Bearer x", null, null))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(401));
        assertThatThrownBy(() -> SentryCredentials.resolve("Sentry sentry_version=7", null, "", null))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(401));
        assertThatThrownBy(() -> SentryCredentials.resolve(null, null, null, "http://host/1"))
                .isInstanceOfSatisfying(
                        IngestProblem.class, p -> assertThat(p.status()).isEqualTo(401));
    }
}
