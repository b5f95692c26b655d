package io.faultline.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * HTTP/1.1 over a plain socket, one request per connection: the fuzz corpus needs bytes no HTTP
 * client sends (bad percent-escapes, NUL in a header, broken chunking, an HTTP/2 preface, a TLS
 * hello, a body trickled byte by byte), and to tell an answer from a connection that just stays
 * open (a hang).
 */
final class RawHttp {

    enum Outcome {
        /** A complete HTTP response. */
        ANSWERED,
        /** Bytes that are not an HTTP response (a TLS alert, an HTTP/2 frame). */
        NON_HTTP,
        /** The server closed or reset the connection without a response. */
        CLOSED,
        /** Nothing, not even a close, within the timeout after the request was sent. */
        HANG,
        /** Nobody listens: the service is down. */
        REFUSED
    }

    record Exchange(Outcome outcome, int status, Map<String, String> headers, String body, long millis) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A body sent slowly: {@code bytes} every {@code intervalMillis}, for at most {@code maxMillis}. */
    record Trickle(int bytes, long intervalMillis, long maxMillis) {}

    private static final int KEEP_BODY = 64 * 1024;

    private RawHttp() {}

    /** The bytes of a request; a Content-Length is added when the headers name none and there is a body. */
    static byte[] request(String method, String target, String host, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(host).append("\r\n");
        boolean lengthGiven = false;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            String k = h.getKey().toLowerCase(Locale.ROOT);
            lengthGiven |= k.equals("content-length") || k.equals("transfer-encoding");
        }
        if (!lengthGiven && body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null || body.length == 0) {
            return h;
        }
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /**
     * Sends {@code bytes} (the part after {@code trickleFrom} trickled when {@code trickle} is set)
     * and waits at most {@code timeoutMillis} after the last byte sent for a complete answer.
     */
    static Exchange exchange(
            String host, int port, byte[] bytes, int trickleFrom, Trickle trickle, long timeoutMillis) {
        long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(host, port), 5_000);
            } catch (ConnectException e) {
                return new Exchange(Outcome.REFUSED, 0, Map.of(), e.toString(), elapsed(started));
            }
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            try {
                if (trickle == null) {
                    out.write(bytes);
                } else {
                    out.write(bytes, 0, trickleFrom);
                    out.flush();
                    long stopAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(trickle.maxMillis());
                    int at = trickleFrom;
                    // the client's own pace, bounded: it stops when the server answers or gives up
                    while (at < bytes.length && System.nanoTime() < stopAt && in.available() == 0) {
                        int n = Math.min(trickle.bytes(), bytes.length - at);
                        out.write(bytes, at, n);
                        out.flush();
                        at += n;
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(trickle.intervalMillis()));
                    }
                }
                out.flush();
            } catch (IOException e) {
                // the server may answer (413, 400) and close before reading the whole body
            }
            return read(socket, in, started, timeoutMillis);
        } catch (IOException e) {
            return new Exchange(Outcome.CLOSED, 0, Map.of(), e.toString(), elapsed(started));
        }
    }

    private static Exchange read(Socket socket, InputStream in, long started, long timeoutMillis) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return timedOut(got, started);
            }
            socket.setSoTimeout((int) Math.max(1, left));
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                return timedOut(got, started);
            } catch (IOException e) {
                n = -1; // reset: what was read so far decides
            }
            if (n < 0) {
                Exchange parsed = parse(got.toByteArray(), true, started);
                return parsed != null ? parsed : closed(got, started);
            }
            total += n;
            if (got.size() < KEEP_BODY + 64 * 1024) {
                got.write(buf, 0, n);
            }
            Exchange parsed = parse(got.toByteArray(), false, started);
            if (parsed != null) {
                return parsed;
            }
            if (total > 64L * 1024 * 1024) {
                return closed(got, started);
            }
        }
    }

    private static Exchange timedOut(ByteArrayOutputStream got, long started) {
        byte[] b = got.toByteArray();
        if (b.length > 0 && !startsWith(b, 0, "HTTP/")) {
            // an HTTP/2 server's SETTINGS frame answers a preface: the connection then waits for requests
            return closed(got, started);
        }
        if (b.length > 0) {
            // a response whose end never came is still a hang, but its status says what it was
            Exchange partial = parse(b, true, started);
            int status = partial == null ? 0 : partial.status();
            return new Exchange(Outcome.HANG, status, Map.of(), "partial answer, then nothing", elapsed(started));
        }
        return new Exchange(Outcome.HANG, 0, Map.of(), "", elapsed(started));
    }

    private static Exchange closed(ByteArrayOutputStream got, long started) {
        byte[] b = got.toByteArray();
        if (b.length == 0) {
            return new Exchange(Outcome.CLOSED, 0, Map.of(), "", elapsed(started));
        }
        return new Exchange(
                Outcome.NON_HTTP,
                0,
                Map.of(),
                new String(b, 0, Math.min(b.length, 200), StandardCharsets.ISO_8859_1),
                elapsed(started));
    }

    /** The response in {@code b} if complete (or, at end of stream, as far as it goes); else null. */
    static Exchange parse(byte[] b, boolean eof, long started) {
        int offset = 0;
        while (true) {
            int headEnd = indexOf(b, offset, "\r\n\r\n");
            if (headEnd < 0) {
                if (eof && startsWith(b, offset, "HTTP/")) {
                    return new Exchange(Outcome.ANSWERED, status(b, offset), Map.of(), "", elapsed(started));
                }
                return null;
            }
            if (!startsWith(b, offset, "HTTP/")) {
                return null;
            }
            int status = status(b, offset);
            String head = new String(b, offset, headEnd - offset, StandardCharsets.ISO_8859_1);
            Map<String, String> headers = new LinkedHashMap<>();
            String[] lines = head.split("\r\n");
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(
                            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim());
                }
            }
            int bodyStart = headEnd + 4;
            if (status == 101) {
                // switched protocols (h2c): what follows is not HTTP/1.1, and the switch is the answer
                return new Exchange(Outcome.ANSWERED, status, headers, "", elapsed(started));
            }
            if (status >= 100 && status < 200) {
                offset = bodyStart;
                continue;
            }
            if (status == 204 || status == 304) {
                return new Exchange(Outcome.ANSWERED, status, headers, "", elapsed(started));
            }
            String length = headers.get("content-length");
            String te = headers.get("transfer-encoding");
            byte[] body = null;
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                body = dechunk(b, bodyStart);
            } else if (length != null) {
                long cl;
                try {
                    cl = Long.parseLong(length);
                } catch (NumberFormatException e) {
                    cl = 0;
                }
                if (b.length - bodyStart >= cl || b.length >= KEEP_BODY) {
                    body = java.util.Arrays.copyOfRange(b, bodyStart, (int) Math.min(b.length, bodyStart + cl));
                }
            }
            if (body == null && eof) {
                body = java.util.Arrays.copyOfRange(b, bodyStart, b.length);
            }
            if (body == null) {
                return null;
            }
            String text = new String(body, 0, Math.min(body.length, KEEP_BODY), StandardCharsets.UTF_8);
            return new Exchange(Outcome.ANSWERED, status, headers, text, elapsed(started));
        }
    }

    /** The decoded chunked body, or null while its last chunk has not arrived. */
    private static byte[] dechunk(byte[] b, int from) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = from;
        while (true) {
            int lineEnd = indexOf(b, at, "\r\n");
            if (lineEnd < 0) {
                return null;
            }
            String size = new String(b, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int n;
            try {
                n = Integer.parseInt(size, 16);
            } catch (NumberFormatException e) {
                return java.util.Arrays.copyOfRange(b, from, b.length);
            }
            at = lineEnd + 2;
            if (n == 0) {
                return out.toByteArray();
            }
            if (at + n + 2 > b.length) {
                return b.length >= KEEP_BODY ? out.toByteArray() : null;
            }
            out.write(b, at, n);
            at += n + 2;
        }
    }

    private static int status(byte[] b, int offset) {
        int sp = indexOf(b, offset, " ");
        if (sp < 0 || sp + 4 > b.length) {
            return 0;
        }
        try {
            return Integer.parseInt(new String(b, sp + 1, 3, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean startsWith(byte[] b, int offset, String prefix) {
        if (b.length - offset < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[offset + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int from, String s) {
        outer:
        for (int i = from; i <= b.length - s.length(); i++) {
            for (int j = 0; j < s.length(); j++) {
                if (b[i + j] != s.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static long elapsed(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
