package io.faultline.impact.alerts;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A socket speaking just enough SMTP to take messages (EHLO, MAIL, RCPT, DATA, QUIT), started for
 * the test and handed to the impact-service as its relay; it also shortens the retry waits.
 */
public class SmtpTestServer implements QuarkusTestResourceLifecycleManager {

    /** One message taken: its envelope recipients and its data, dot-stuffing undone. */
    public record Mail(List<String> to, String data) {}

    public static final List<Mail> RECEIVED = new CopyOnWriteArrayList<>();
    private ServerSocket server;

    @Override
    public Map<String, String> start() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread accept = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try (Socket s = server.accept()) {
                            converse(s);
                        } catch (IOException e) {
                            // closed, or a client that went away: take the next one
                        }
                    }
                },
                "smtp-test-server");
        accept.setDaemon(true);
        accept.start();
        return Map.of(
                "faultline.alerts.smtp.host", "127.0.0.1",
                "faultline.alerts.smtp.port", String.valueOf(server.getLocalPort()),
                "faultline.alerts.smtp.from", "alerts@faultline.test",
                "faultline.alerts.first-retry", "0.2s",
                "faultline.alerts.refresh", "1s");
    }

    private static void converse(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = s.getOutputStream();
        reply(out, "220 test ESMTP");
        List<String> to = new CopyOnWriteArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            switch (verb) {
                case "EHLO", "HELO" -> reply(out, "250-test\r\n250 8BITMIME");
                case "MAIL" -> reply(out, "250 ok");
                case "RCPT" -> {
                    to.add(line.substring(line.indexOf('<') + 1, line.indexOf('>')));
                    reply(out, "250 ok");
                }
                case "DATA" -> {
                    reply(out, "354 go ahead");
                    StringBuilder data = new StringBuilder();
                    String d;
                    while ((d = in.readLine()) != null && !d.equals(".")) {
                        data.append(d.startsWith("..") ? d.substring(1) : d).append('\n');
                    }
                    RECEIVED.add(new Mail(List.copyOf(to), data.toString()));
                    reply(out, "250 queued");
                }
                case "QUIT" -> {
                    reply(out, "221 bye");
                    return;
                }
                default -> reply(out, "502 not here");
            }
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            // the test is over
        }
    }
}
