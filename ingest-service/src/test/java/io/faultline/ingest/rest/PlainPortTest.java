package io.faultline.ingest.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/**
 * What reaches the plain HTTP port without being HTTP/1.1: a broken chunked body, an HTTP/2
 * connection preface, a TLS handshake. Each is answered 400 or its connection closed at once;
 * none may hold a connection open waiting for what never comes.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class PlainPortTest {

    /** How long a client waits here for an answer or a close: "promptly", with room for a loaded machine. */
    private static final int PROMPTLY_MILLIS = 5_000;

    @TestHTTPResource("/")
    URI root;

    /** What came back before the server closed; fails if it neither answered nor closed in time. */
    static String exchange(URI root, byte[] sent) throws IOException {
        return exchange(root, sent, PROMPTLY_MILLIS);
    }

    static String exchange(URI root, byte[] sent, int promptlyMillis) throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(promptlyMillis);
            socket.getOutputStream().write(sent);
            socket.getOutputStream().flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] block = new byte[4096];
            try {
                for (int n; (n = in.read(block)) > 0; ) {
                    received.write(block, 0, n);
                }
            } catch (SocketTimeoutException e) {
                String soFar = received.toString(StandardCharsets.ISO_8859_1);
                // an HTTP answer counts even when the connection stays open after it
                assertThat(soFar)
                        .as("no answer and no close within %d ms", promptlyMillis)
                        .containsPattern("^HTTP/\\d\\.\\d 4");
            } catch (java.net.SocketException reset) {
                // closed with a reset: closed all the same
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** A chunked body whose first chunk size is not hex. */
    static final byte[] BAD_CHUNK = ("POST /api/v1/projects/1/events HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer test-project-key\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    static final byte[] HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aMalformedChunkedBodyIsA400() throws Exception {
        String answer = exchange(root, BAD_CHUNK);
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).contains("application/problem+json", "not valid HTTP/1.1", "chunk size");
    }

    @Test
    void anHttp2PrefaceIsRefusedOrClosedPromptly() throws Exception {
        String answer = exchange(root, HTTP2_PREFACE);
        assertThat(answer).satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a)
                .containsPattern("^HTTP/\\d\\.\\d 400 "));
    }

    @Test
    void aTlsClientHelloIsRefusedOrClosedPromptly() throws Exception {
        // a ClientHello always holds a line feed (the supported_groups extension is type 0x000a),
        // so the HTTP/1.1 decoder reads up to it as a request line
        String answer = exchange(root, clientHello());
        assertThat(answer).satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a)
                .containsPattern("^HTTP/\\d\\.\\d 400 "));
    }

    /**
     * A ClientHello without extensions holds no line feed, so the HTTP decoder waits for the end of
     * a request line that never comes: only the idle timeout ends it (the fuzzer's hello hung for
     * the 30-minute default).
     */
    @Test
    void aBareClientHelloIsClosedWhenTheConnectionIdles() throws Exception {
        // TLS 1.2 record, ClientHello: version, 32 random bytes (none a line feed), no session id,
        // one cipher suite, null compression, no extensions
        byte[] hello = {
            0x16,
            3,
            1,
            0,
            45,
            1,
            0,
            0,
            41,
            3,
            3,
            33,
            34,
            35,
            36,
            37,
            38,
            39,
            40,
            41,
            42,
            43,
            44,
            45,
            46,
            47,
            48,
            49,
            50,
            51,
            52,
            53,
            54,
            55,
            56,
            57,
            58,
            59,
            60,
            61,
            62,
            63,
            64,
            0,
            0,
            2,
            (byte) 0xC0,
            0x2F,
            1,
            0
        };
        String answer = exchange(root, hello, 15_000);
        assertThat(answer).satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a)
                .containsPattern("^HTTP/\\d\\.\\d 400 "));
    }

    static byte[] clientHello() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine();
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }
}
