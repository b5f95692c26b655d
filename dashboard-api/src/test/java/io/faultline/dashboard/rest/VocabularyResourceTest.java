package io.faultline.dashboard.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.faultline.devstack.quarkus.KafkaTestResource;
import io.faultline.schemas.Vocabulary;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubImpactService.class)
@QuarkusTestResource(TestUsers.class)
class VocabularyResourceTest {

    @Test
    void aViewerReadsEveryListOfTheVocabularyInItsDefinedOrder() {
        Response response = given().cookie("faultline_session", TestUsers.sessionOf("vera"))
                .get("/api/v1/vocabulary")
                .then()
                .statusCode(200)
                .contentType(containsString("application/json"))
                .header("Cache-Control", containsString("max-age="))
                .header("Cache-Control", containsString("private"))
                .extract()
                .response();
        assertThat(response.jsonPath().getList("severities", String.class)).isEqualTo(Vocabulary.SEVERITIES);
        assertThat(response.jsonPath().getList("categories", String.class)).isEqualTo(Vocabulary.CATEGORIES);
        assertThat(response.jsonPath().getList("businessImpacts", String.class)).isEqualTo(Vocabulary.BUSINESS_IMPACTS);
        assertThat(response.jsonPath().getList("groupStatuses", String.class)).isEqualTo(Vocabulary.GROUP_STATUSES);
        assertThat(response.jsonPath().getList("signalKinds", String.class)).isEqualTo(Vocabulary.SIGNAL_KINDS);
        assertThat(response.jsonPath().getMap("")).hasSize(5);
    }

    @Test
    void aBrowserThatHoldsItRevalidatesByItsEtag() {
        String session = TestUsers.sessionOf("vera");
        String etag = given().cookie("faultline_session", session)
                .get("/api/v1/vocabulary")
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");
        assertThat(etag).isNotBlank();
        given().cookie("faultline_session", session)
                .header("If-None-Match", etag)
                .get("/api/v1/vocabulary")
                .then()
                .statusCode(304)
                .header("ETag", is(etag));
    }

    @Test
    void strangersAreRefused() {
        given().get("/api/v1/vocabulary").then().statusCode(401);
    }
}
