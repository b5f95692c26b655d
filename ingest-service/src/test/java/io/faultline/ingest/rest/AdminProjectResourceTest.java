package io.faultline.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.Project;
import io.faultline.schemas.ProjectKey;
import io.faultline.schemas.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class AdminProjectResourceTest {

    static final String ADMIN = "Bearer test-admin-token";

    /** Creates a project through the admin API; its first public key. */
    static String createProject(String id, String name) {
        return given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body("{\"id\":\"" + id + "\",\"name\":\"" + name + "\"}")
                .post("/api/v1/admin/projects")
                .then()
                .statusCode(201)
                .extract()
                .path("keys[0].publicKey");
    }

    static int envelopeStatus(String projectId, String key) {
        byte[] body = SentryResourceTest.envelope(SentryResourceTest.id(), "").getBytes(StandardCharsets.UTF_8);
        return given().header("X-Sentry-Auth", "Sentry sentry_version=7, sentry_key=" + key)
                .body(body)
                .post("/api/" + projectId + "/envelope/")
                .statusCode();
    }

    @Test
    void adminApiRequiresTheToken() {
        given().get("/api/v1/admin/projects").then().statusCode(401);
        given().header("Authorization", "Bearer wrong")
                .get("/api/v1/admin/projects")
                .then()
                .statusCode(401);
        given().header("Authorization", ADMIN)
                .get("/api/v1/admin/projects")
                .then()
                .statusCode(200);
    }

    @Test
    void createdKeyIsAcceptedRotatedAndRevoked() {
        JsonPath created = given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body("{\"name\":\"checkout\",\"withSecret\":true}")
                .post("/api/v1/admin/projects")
                .then()
                .statusCode(201)
                .body("keys[0].dsn", matchesPattern("http://[0-9a-f]{32}@localhost:\\d+/\\d+"))
                .extract()
                .jsonPath();
        String id = created.getString("id");
        String first = created.getString("keys[0].publicKey");
        assertThat(created.getString("keys[0].secretKey")).hasSize(32);
        assertThat(envelopeStatus(id, first)).isEqualTo(200);

        String second = given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body("{}")
                .post("/api/v1/admin/projects/" + id + "/keys")
                .then()
                .statusCode(201)
                .extract()
                .path("publicKey");
        given().header("Authorization", ADMIN)
                .delete("/api/v1/admin/projects/" + id + "/keys/" + first)
                .then()
                .statusCode(204);
        assertThat(envelopeStatus(id, first)).isEqualTo(403);
        assertThat(envelopeStatus(id, second)).isEqualTo(200);
        given().header("Authorization", ADMIN)
                .get("/api/v1/admin/projects")
                .then()
                .body("id", hasItem(id));
        given().header("Authorization", ADMIN)
                .delete("/api/v1/admin/projects/" + id + "/keys/nope")
                .then()
                .statusCode(404);
        given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body("{\"id\":\"" + id + "\",\"name\":\"again\"}")
                .post("/api/v1/admin/projects")
                .then()
                .statusCode(409);
    }

    @Test
    void keysWrittenByAnotherInstanceArriveThroughTheTopic() {
        // another ingest instance (or a restore) writes the project record; this one follows the topic
        Project project = Project.newBuilder()
                .setProjectId("9001")
                .setName("elsewhere")
                .setKeys(List.of(ProjectKey.newBuilder()
                        .setPublicKey("0123456789abcdef0123456789abcdef")
                        .setCreatedAt(Instant.parse("2026-11-30T00:00:00Z"))
                        .build()))
                .setUpdatedAt(Instant.parse("2026-11-30T00:00:00Z"))
                .build();
        RawTopic.client()
                .produce(
                        Topics.PROJECTS.name(),
                        "9001",
                        Topics.PROJECTS.valueSerde().serializer().serialize(Topics.PROJECTS.name(), project));
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> envelopeStatus("9001", "0123456789abcdef0123456789abcdef") == 200);

        project.getKeys().get(0).setRevokedAt(Instant.parse("2026-11-30T01:00:00Z"));
        RawTopic.client()
                .produce(
                        Topics.PROJECTS.name(),
                        "9001",
                        Topics.PROJECTS.valueSerde().serializer().serialize(Topics.PROJECTS.name(), project));
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> envelopeStatus("9001", "0123456789abcdef0123456789abcdef") == 403);
    }
}
