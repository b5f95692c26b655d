package io.faultline.dashboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    @Test
    void aHashMatchesItsPasswordOnly() {
        String hash = PasswordHasher.hash("s3cret", 1_000);

        assertThat(hash).startsWith("pbkdf2-sha256$1000$");
        assertThat(PasswordHasher.matches("s3cret", hash)).isTrue();
        assertThat(PasswordHasher.matches("s3cret ", hash)).isFalse();
        assertThat(PasswordHasher.matches(null, hash)).isFalse();
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        assertThat(PasswordHasher.hash("s3cret", 1_000)).isNotEqualTo(PasswordHasher.hash("s3cret", 1_000));
    }

    @Test
    void malformedHashesNeverMatch() {
        assertThat(PasswordHasher.matches("x", "plain-text")).isFalse();
        assertThat(PasswordHasher.matches("x", "pbkdf2-sha256$abc$!!$!!")).isFalse();
        assertThat(PasswordHasher.matches("x", "$2a$10$bcryptlooking")).isFalse();
    }
}
