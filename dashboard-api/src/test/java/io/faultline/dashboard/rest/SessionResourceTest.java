package io.faultline.dashboard.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SessionResourceTest {

    @Test
    void aNameTypedIntoTheFormCannotForgeALogLine() {
        assertThat(SessionResource.loggable("ada\r\n2026-11-30 INFO login: root (admin)"))
                .isEqualTo("ada??2026-11-30 INFO login: root (admin)");
        assertThat(SessionResource.loggable("x".repeat(100))).isEqualTo("x".repeat(64) + "…");
        assertThat(SessionResource.loggable(null)).isEqualTo("(none)");
        assertThat(SessionResource.loggable("vera")).isEqualTo("vera");
    }

    @Test
    void theLoginFormIsDecodedAsUtf8AndAMalformedEscapeNamesItsField() {
        assertThat(SessionResource.formFields("username=v%C3%A9ra&password=a+b%26c&username=second"))
                .containsEntry("username", "véra")
                .containsEntry("password", "a b&c");
        assertThat(SessionResource.formFields("")).isEmpty();
        assertThatThrownBy(() -> SessionResource.formFields("username=%zz&password=x"))
                .isInstanceOfSatisfying(SessionResource.MalformedField.class, e -> assertThat(e.field)
                        .isEqualTo("username"));
        assertThatThrownBy(() -> SessionResource.formFields("username=vera&pass%word=x"))
                .isInstanceOfSatisfying(SessionResource.MalformedField.class, e -> assertThat(e.field)
                        .isEqualTo("body"));
    }
}
