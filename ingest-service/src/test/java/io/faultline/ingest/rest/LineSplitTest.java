package io.faultline.ingest.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time search for line ends against a byte-by-byte one. */
class LineSplitTest {

    @Test
    void findsTheFirstNewlineFromAnyPositionAsAByteByByteSearchDoes() {
        Random random = new Random(11);
        byte[] alphabet = {'\n', 'a', '{', (byte) 0x8a, (byte) 0x0b, 0, (byte) 0xff, (byte) (0x0a ^ 0x80), 0x09};
        for (int n = 0; n < 20_000; n++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt();
            }
            int from = random.nextInt(bytes.length + 1);
            int expected = bytes.length;
            for (int i = from; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            assertThat(NativeEventResource.indexOf(bytes, (byte) '\n', from)).isEqualTo(expected);
        }
    }
}
