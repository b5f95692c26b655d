package io.faultline.dashboard.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What an outside fuzzer sent the dashboard (issue #19), and more of its kind: every hostile value
 * is a 4xx problem naming the field where there is one, never a 5xx (nor a 502 for a client's
 * mistake the impact-service pointed out), and the dashboard serves normal requests afterwards.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubImpactService.class)
@QuarkusTestResource(TestUsers.class)
class HostileInputTest {

    private static final String ADMIN = "Bearer test-admin-token";

    @TestHTTPResource("/")
    URI root;

    /** A request, the status class it must get, and the field its problem must name (or null). */
    private record Hostile(
            String what, RequestSpecification request, String method, String target, int status, String field) {}

    private static RequestSpecification admin() {
        return given().urlEncodingEnabled(false).redirects().follow(false).header("Authorization", ADMIN);
    }

    private static RequestSpecification action(String body) {
        return admin().contentType("application/json").body(body);
    }

    private static RequestSpecification login(String form) {
        return given().urlEncodingEnabled(false)
                .redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .body(form);
    }

    private static List<Hostile> hostile() {
        String act = "/api/v1/groups/g1/actions";
        List<Hostile> cases = new ArrayList<>();
        // the fuzzer's reproducers
        cases.add(new Hostile(
                "duration overflow",
                action("{\"action\":\"ignore\",\"projectId\":\"1\",\"until\":\"PT10000000000000H\"}"),
                "POST",
                act,
                400,
                "until"));
        cases.add(new Hostile(
                "malformed percent-encoding",
                login("username=%zz&password=x"),
                "POST",
                "/auth/login",
                400,
                "username"));
        cases.add(new Hostile("NUL group id", admin(), "GET", "/api/v1/groups/%00", 400, "id"));
        cases.add(new Hostile(
                "date the impact-service cannot serve",
                admin(),
                "GET",
                "/api/v1/groups?from=-1000000000-01-01T00:00:00Z",
                400,
                "from"));
        // group actions: values
        cases.add(new Hostile(
                "instant past year 9999",
                action("{\"action\":\"ignore\",\"projectId\":\"1\",\"until\":\"+1000000000-12-31T23:59:59Z\"}"),
                "POST",
                act,
                400,
                "until"));
        cases.add(new Hostile(
                "duration in days overflow",
                action("{\"action\":\"ignore\",\"projectId\":\"1\",\"until\":\"P106751991167300D\"}"),
                "POST",
                act,
                400,
                "until"));
        cases.add(new Hostile(
                "negative duration",
                action("{\"action\":\"ignore\",\"projectId\":\"1\",\"until\":\"PT-1H\"}"),
                "POST",
                act,
                400,
                "until"));
        cases.add(new Hostile(
                "occurrences as text",
                action("{\"action\":\"ignore\",\"projectId\":\"1\",\"untilOccurrences\":\"abc\"}"),
                "POST",
                act,
                400,
                "untilOccurrences"));
        cases.add(new Hostile(
                "occurrences overflow",
                action("{\"action\":\"ignore\",\"projectId\":\"1\",\"untilOccurrences\":99999999999999999999999}"),
                "POST",
                act,
                400,
                "untilOccurrences"));
        cases.add(new Hostile(
                "occurrences fraction",
                action("{\"action\":\"ignore\",\"projectId\":\"1\",\"untilOccurrences\":1.5e400}"),
                "POST",
                act,
                400,
                "untilOccurrences"));
        cases.add(new Hostile(
                "release on a plain resolve",
                action("{\"action\":\"resolve\",\"projectId\":\"1\",\"release\":\"1.0.0\"}"),
                "POST",
                act,
                400,
                "release"));
        cases.add(new Hostile(
                "release with a newline",
                action("{\"action\":\"resolve_in_release\",\"projectId\":\"1\",\"release\":\"1.0\\n0\"}"),
                "POST",
                act,
                400,
                "release"));
        cases.add(new Hostile(
                "release as a number",
                action("{\"action\":\"resolve_in_release\",\"projectId\":\"1\",\"release\":[1]}"),
                "POST",
                act,
                400,
                "release"));
        cases.add(new Hostile(
                "action as array",
                action("{\"action\":[\"resolve\"],\"projectId\":\"1\"}"),
                "POST",
                act,
                400,
                "action"));
        cases.add(new Hostile(
                "action as object", action("{\"action\":{},\"projectId\":\"1\"}"), "POST", act, 400, "action"));
        cases.add(new Hostile(
                "unknown action", action("{\"action\":\"delete\",\"projectId\":\"1\"}"), "POST", act, 400, "action"));
        cases.add(new Hostile(
                "NUL project",
                action("{\"action\":\"resolve\",\"projectId\":\"\\u0000\"}"),
                "POST",
                act,
                400,
                "projectId"));
        cases.add(new Hostile(
                "long project",
                action("{\"action\":\"resolve\",\"projectId\":\"" + "p".repeat(65) + "\"}"),
                "POST",
                act,
                400,
                "projectId"));
        cases.add(new Hostile(
                "severity as number",
                action("{\"action\":\"relabel\",\"projectId\":\"1\",\"severity\":[1]}"),
                "POST",
                act,
                400,
                "severity"));
        cases.add(new Hostile(
                "NUL group id in action",
                action("{\"action\":\"resolve\",\"projectId\":\"1\"}"),
                "POST",
                "/api/v1/groups/%00/actions",
                400,
                "id"));
        cases.add(new Hostile(
                "long group id in action",
                action("{\"action\":\"resolve\",\"projectId\":\"1\"}"),
                "POST",
                "/api/v1/groups/" + "g".repeat(65) + "/actions",
                400,
                "id"));
        // group actions: bodies
        cases.add(new Hostile("not JSON", action("{\"action\":"), "POST", act, 400, null));
        cases.add(new Hostile("array body", action("[]"), "POST", act, 400, null));
        cases.add(new Hostile("string body", action("\"resolve\""), "POST", act, 400, null));
        cases.add(new Hostile(
                "deep nesting",
                action("{\"note\":" + "[".repeat(5000) + "]".repeat(5000) + "}"),
                "POST",
                act,
                400,
                null));
        cases.add(new Hostile(
                "not JSON at all", admin().contentType("text/plain").body("resolve"), "POST", act, 415, null));
        // reads
        cases.add(new Hostile("control characters in id", admin(), "GET", "/api/v1/groups/a%0D%0Ab", 400, "id"));
        cases.add(new Hostile("long id", admin(), "GET", "/api/v1/groups/" + "x".repeat(65), 400, "id"));
        cases.add(new Hostile(
                "a 4xx of the impact-service", admin(), "GET", "/api/v1/incidents?stub-status=422", 422, "stub"));
        // login
        cases.add(new Hostile(
                "truncated percent-encoding",
                login("username=vera&password=%"),
                "POST",
                "/auth/login",
                400,
                "password"));
        cases.add(new Hostile(
                "JSON login",
                given().contentType("application/json").body("{\"username\":\"vera\"}"),
                "POST",
                "/auth/login",
                415,
                null));
        return cases;
    }

    @Test
    void everyHostileValueIsA4xxProblemAndTheDashboardCarriesOn() {
        List<String> wrong = new ArrayList<>();
        for (Hostile h : hostile()) {
            Response answer = h.method().equals("GET")
                    ? h.request().get(h.target())
                    : h.request().post(h.target());
            String body = answer.asString();
            boolean right = answer.statusCode() == h.status()
                    && answer.contentType().startsWith("application/problem+json")
                    && (h.field() == null || fields(answer).contains(h.field()));
            if (!right) {
                wrong.add(h.what() + ": " + h.method() + " "
                        + h.target().substring(0, Math.min(80, h.target().length()))
                        + " -> " + answer.statusCode() + " " + answer.contentType() + " "
                        + body.substring(0, Math.min(300, body.length())));
            }
        }
        assertThat(wrong).as("hostile requests not answered as expected").isEmpty();

        admin().get("/api/v1/overview?limit=1").then().statusCode(200);
        // a limit is the impact-service's to judge (its 400 names it: HostileQueryTest); it used to
        // be converted here first, and "abc" answered 404 as if the endpoint were missing
        admin().get("/api/v1/overview?limit=abc").then().statusCode(200).body("query", is("limit=abc"));
        admin().get("/api/v1/groups/group-browser").then().statusCode(200);
        action("{\"action\":\"ignore\",\"projectId\":\"1\",\"until\":\"PT24H\"}")
                .post("/api/v1/groups/g1/actions")
                .then()
                .statusCode(202);
        assertThat(TestUsers.login("vera", TestUsers.PASSWORD).statusCode()).isEqualTo(303);
    }

    private static List<Object> fields(Response answer) {
        try {
            List<Object> fields = answer.jsonPath().getList("errors.field");
            return fields == null ? List.of() : fields;
        } catch (RuntimeException notJson) {
            return List.of();
        }
    }

    @Test
    void aHugeBodyIsRefused413Unread() throws Exception {
        // only the head is sent: a client writing its 2 MB would meet the server's close mid-body
        for (String head : List.of(
                "POST /auth/login HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n\r\n",
                "POST /api/v1/groups/g1/actions HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + ADMIN
                        + "\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n")) {
            try (Socket socket = new Socket(root.getHost(), root.getPort())) {
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                byte[] status = socket.getInputStream().readNBytes(12);
                assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 413");
            }
        }
    }

    @Test
    void anUpstreamFaultIsStillA502() {
        admin().get("/api/v1/incidents?stub-status=500").then().statusCode(502);
    }

    @Test
    void aLoginBodyTrickledBelowTheMinimumRateIsAnswered408() throws Exception {
        String response = trickle("POST /auth/login HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nusername=");
        assertThat(response).startsWith("HTTP/1.1 408");
        assertThat(response).contains("application/problem+json", "too slowly");
    }

    @Test
    void aGroupActionBodyTrickledBelowTheMinimumRateIsAnswered408() throws Exception {
        String response = trickle("POST /api/v1/groups/g1/actions HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                + ADMIN + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n");
        assertThat(response).startsWith("HTTP/1.1 408");
    }

    /** Sends the head, then a byte every 100 ms until the server answers; returns the answer. */
    private String trickle(String head) throws Exception {
        Duration grace = ConfigProvider.getConfig()
                .getOptionalValue("faultline.body.grace", Duration.class)
                .orElse(Duration.ofSeconds(5));
        long deadline = System.nanoTime() + grace.plusSeconds(10).toNanos();
        boolean chunked = head.contains("chunked");
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            try {
                while (in.available() == 0 && System.nanoTime() < deadline) {
                    out.write((chunked ? "1\r\n \r\n" : "x").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(100); // the pace of the trickle, not a wait for a result
                }
            } catch (SocketException closedWhileWriting) {
                // the server may close before the next byte: the answer is still in the socket
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aSlowLoginThatKeepsPaceIsTaken() throws Exception {
        byte[] body =
                ("username=vera&password=" + TestUsers.PASSWORD.replace(' ', '+')).getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /auth/login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (int off = 0; off < body.length; off += 16) {
                out.write(body, off, Math.min(16, body.length - off));
                out.flush();
                Thread.sleep(200); // well inside the grace
            }
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 303");
        }
    }
}
