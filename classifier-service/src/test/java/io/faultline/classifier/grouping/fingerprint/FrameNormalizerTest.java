package io.faultline.classifier.grouping.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameNormalizerTest {

    private final FrameNormalizer normalizer = new FrameNormalizer();

    @Test
    void jvmGeneratedClassNamesLoseTheirVaryingSuffix() {
        assertThat(normalizer.module("com.example.BookingService$$Lambda$123/0x0000000800c4b040"))
                .isEqualTo(normalizer.module("com.example.BookingService$$Lambda$871/0x00000008011ea440"))
                .isEqualTo(normalizer.module("com.example.BookingService$$Lambda/0x00007f3c8c0b2a18"))
                .isEqualTo("com.example.BookingService$$Lambda");
        assertThat(normalizer.module("com.example.BookingService$$EnhancerBySpringCGLIB$$a1b2c3d4"))
                .isEqualTo("com.example.BookingService$$EnhancerBySpringCGLIB");
        assertThat(normalizer.module("com.example.BookingService$$SpringCGLIB$$0"))
                .isEqualTo("com.example.BookingService$$SpringCGLIB");
        assertThat(normalizer.module("com.sun.proxy.$Proxy12"))
                .isEqualTo(normalizer.module("jdk.proxy2.$Proxy45"))
                .isEqualTo("$Proxy");
        assertThat(normalizer.module("com.example.Booking$HibernateProxy$Kw3ZbVbB"))
                .isEqualTo("com.example.Booking$HibernateProxy");
        assertThat(normalizer.module("com.example.Booking_$$_jvst7c2_1")).isEqualTo("com.example.Booking_$$_jvst");
        assertThat(normalizer.module("com.example.BookingService$1")).isEqualTo("com.example.BookingService$<anon>");
        assertThat(normalizer.module("com.example.BookingService$Retry$2"))
                .isEqualTo("com.example.BookingService$Retry$<anon>");
        assertThat(normalizer.module("myapp.billing$fn__12345")).isEqualTo("myapp.billing$fn");
    }

    @Test
    void generatedMethodNamesLoseTheirIndex() {
        assertThat(normalizer.function("lambda$book$0")).isEqualTo("lambda$book");
        assertThat(normalizer.function("lambda$book$12")).isEqualTo("lambda$book");
        assertThat(normalizer.function("access$000")).isEqualTo("access$");
        assertThat(normalizer.function("book")).isEqualTo("book");
        assertThat(normalizer.function("<lambda>")).isEqualTo("<lambda>");
        assertThat(normalizer.module("Shop.Booking.BookingService+<BookAsync>d__12"))
                .isEqualTo("Shop.Booking.BookingService+<BookAsync>d");
    }

    @Test
    void bundleFilenamesLoseHostQueryAndContentHash() {
        assertThat(normalizer.filename("https://cdn.example.com/static/js/main.3f2a9c1b.chunk.js?v=2"))
                .isEqualTo(normalizer.filename("https://static.example.com/static/js/main.9be01f7a.chunk.js"))
                .isEqualTo("static/js/main.<hash>.chunk.js");
        assertThat(normalizer.filename("app:///_next/static/chunks/pages/booking-3f2a9c1b8e7d6a5b.js"))
                .isEqualTo("_next/static/chunks/pages/booking-<hash>.js");
        assertThat(normalizer.filename("https://cdn.example.com/static/js/787.3f2a9c1b.chunk.js"))
                .isEqualTo("static/js/<chunk>.<hash>.chunk.js");
        assertThat(normalizer.filename("webpack:///./src/components/BookingForm.tsx"))
                .isEqualTo("src/components/BookingForm.tsx");
    }

    @Test
    void ordinaryNamesAreLeftAlone() {
        assertThat(normalizer.module("com.example.v2.BookingService$Inner2"))
                .isEqualTo("com.example.v2.BookingService$Inner2");
        assertThat(normalizer.module("app.booking.views")).isEqualTo("app.booking.views");
        assertThat(normalizer.function("Object.<anonymous>")).isEqualTo("Object.<anonymous>");
    }
}
