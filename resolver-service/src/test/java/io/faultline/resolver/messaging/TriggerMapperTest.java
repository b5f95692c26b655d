package io.faultline.resolver.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.schemas.ExceptionValue;
import org.junit.jupiter.api.Test;

class TriggerMapperTest {

    @Test
    void aTypeSentApartFromItsModuleIsQualifiedAndKeptBare() {
        ExceptionValue sentryJava = ExceptionValue.newBuilder()
                .setType("PSQLException")
                .setModule("org.postgresql.util")
                .setValue("An I/O error occurred while sending to the backend.")
                .build();
        assertThat(TriggerMapper.typeNames(sentryJava))
                .containsExactly("org.postgresql.util.PSQLException", "PSQLException");

        ExceptionValue native_ = ExceptionValue.newBuilder()
                .setType("java.net.SocketTimeoutException")
                .setModule("java.net")
                .build();
        assertThat(TriggerMapper.typeNames(native_)).containsExactly("java.net.SocketTimeoutException");
        assertThat(TriggerMapper.typeNames(
                        ExceptionValue.newBuilder().setValue("boom").build()))
                .isEmpty();
    }
}
