package io.faultline.dashboard.rest;

import static org.assertj.core.api.Assertions.assertThat;

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
}
