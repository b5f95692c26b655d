package io.faultline.dashboard.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.dashboard.security.PasswordHasher;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.response.Response;
import java.util.Map;

/** One user per role, with known passwords, for the tests that log in. */
public class TestUsers implements QuarkusTestResourceLifecycleManager {

    public static final String PASSWORD = "correct horse battery staple";

    /** Posts the login form; the response is the redirect, not followed. */
    public static Response login(String user, String password) {
        return given().redirects()
                .follow(false)
                .formParam("username", user)
                .formParam("password", password)
                .post("/auth/login");
    }

    /** A session cookie value for the user. */
    public static String sessionOf(String user) {
        Response response = login(user, PASSWORD);
        assertThat(response.statusCode()).isEqualTo(303);
        return response.getCookie("faultline_session");
    }

    public static String csrfOf(String session) {
        return given().cookie("faultline_session", session)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .extract()
                .path("csrfToken");
    }

    @Override
    public Map<String, String> start() {
        String hash = PasswordHasher.hash(PASSWORD);
        return Map.of(
                "faultline.users.vera.password-hash",
                hash,
                "faultline.users.vera.role",
                "viewer",
                "faultline.users.otto.password-hash",
                hash,
                "faultline.users.otto.role",
                "operator",
                // only the login throttling test signs in as tess, and fails on purpose
                "faultline.users.tess.password-hash",
                hash,
                "faultline.admin-user",
                "ada",
                "faultline.admin-password",
                PASSWORD);
    }

    @Override
    public void stop() {}
}
