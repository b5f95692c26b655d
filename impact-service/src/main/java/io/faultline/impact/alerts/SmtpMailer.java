package io.faultline.impact.alerts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Plain SMTP (RFC 5321), enough to hand a text message to a relay: EHLO, optional STARTTLS, MAIL,
 * RCPT, DATA, QUIT. No AUTH: the relay given in settings accepts this host (a local MTA or an
 * internal relay), which keeps credentials out of Faultline. Blocking: run it off the event loop.
 */
final class SmtpMailer {

    record Settings(String host, int port, String from, boolean startTls, int timeoutMillis) {}

    private final Settings settings;

    SmtpMailer(Settings settings) {
        this.settings = settings;
    }

    void send(List<String> to, String subject, String body) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(settings.host(), settings.port()), settings.timeoutMillis());
            plain.setSoTimeout(settings.timeoutMillis());
            Session s = new Session(plain);
            s.expect(220);
            s.command("EHLO faultline", 250);
            if (settings.startTls()) {
                s.command("STARTTLS", 220);
                SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(plain, settings.host(), settings.port(), true);
                tls.startHandshake();
                s = new Session(tls);
                s.command("EHLO faultline", 250);
            }
            s.command("MAIL FROM:<" + settings.from() + ">", 250);
            for (String rcpt : to) {
                s.command("RCPT TO:<" + rcpt + ">", 250);
            }
            s.command("DATA", 354);
            StringBuilder m = new StringBuilder();
            m.append("From: ").append(settings.from()).append("\r\n");
            m.append("To: ").append(String.join(", ", to)).append("\r\n");
            m.append("Subject: ").append(oneLine(subject)).append("\r\n");
            m.append("Date: ")
                    .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()))
                    .append("\r\n");
            m.append(
                    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
            for (String line : body.split("\r?\n", -1)) {
                // dot-stuffing: a line of a lone dot would end the message
                m.append(line.startsWith(".") ? "." + line : line).append("\r\n");
            }
            s.command(m + ".", 250);
            s.command("QUIT", 221);
        }
    }

    /** Header text on one line: a newline in a title would start a header of the sender's choosing. */
    static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }

    private static final class Session {
        private final BufferedReader in;
        private final OutputStream out;

        Session(Socket socket) throws IOException {
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = socket.getOutputStream();
        }

        void command(String line, int expected) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            expect(expected);
        }

        /** Reads a reply, its continuation lines ({@code 250-...}) included. */
        void expect(int expected) throws IOException {
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    throw new IOException("SMTP server closed the connection");
                }
            } while (line.length() > 3 && line.charAt(3) == '-');
            if (line.length() < 3 || !line.startsWith(Integer.toString(expected))) {
                throw new IOException("SMTP server answered '" + line + "', expected " + expected);
            }
        }
    }
}
