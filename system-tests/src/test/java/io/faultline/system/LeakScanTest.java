package io.faultline.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class LeakScanTest {

    /**
     * The impact-service stores each event deflated: read as text, a secret inside would be a run
     * of hex the scan never matches. The scan reads such a column inflated.
     */
    @Test
    void aDeflatedColumnIsReadInflatedAndAnyOtherAsItIs() {
        byte[] event = "{\"password\":\"hunter2-planted\"}".repeat(20).getBytes(StandardCharsets.UTF_8);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        deflater.setInput(event);
        deflater.finish();
        byte[] out = new byte[event.length + 64];
        int size = deflater.deflate(out);
        byte[] stored = Arrays.copyOf(out, size);
        assertThat(new String(stored, StandardCharsets.UTF_8)).doesNotContain("hunter2-planted");

        assertThat(new String(LeakScan.inflatedOrAsIs(stored), StandardCharsets.UTF_8))
                .contains("hunter2-planted");
        byte[] plain = "not deflated: hunter2-planted".getBytes(StandardCharsets.UTF_8);
        assertThat(LeakScan.inflatedOrAsIs(plain)).isEqualTo(plain);
    }
}
