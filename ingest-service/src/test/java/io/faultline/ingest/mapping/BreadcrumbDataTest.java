package io.faultline.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.faultline.ingest.scrubbing.Scrubber;
import io.faultline.schemas.Breadcrumb;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A breadcrumb's data as both mappers store it: values as text, bounded, scrubbed. SDKs put the
 * whole content of http, navigation and ui crumbs there (url, method, status_code; from, to; the
 * clicked element), so without it those crumbs show nothing.
 */
class BreadcrumbDataTest {

    private final BothPaths paths = new BothPaths();

    @Test
    void httpNavigationAndUiCrumbsKeepTheirDataAsText() throws Exception {
        List<Breadcrumb> crumbs = both(
                """
                {"message":"m","breadcrumbs":{"values":[
                  {"type":"http","category":"xhr","data":{"url":"https://api.example/slots","method":"GET",
                    "status_code":500,"ok":false,"took":1.5,"reason":null}},
                  {"type":"navigation","category":"navigation","data":{"from":"/cart","to":"/checkout"}},
                  {"category":"ui.click","message":"button#pay","data":{"target":{"id":"pay","classes":["b","c"]}}},
                  {"category":"console","data":"not an object"}]}}""");

        assertThat(crumbs.get(0).getData())
                .containsExactly(
                        Map.entry("url", "https://api.example/slots"),
                        Map.entry("method", "GET"),
                        Map.entry("status_code", "500"),
                        Map.entry("ok", "false"),
                        Map.entry("took", "1.5"));
        assertThat(crumbs.get(1).getData()).containsExactly(Map.entry("from", "/cart"), Map.entry("to", "/checkout"));
        assertThat(crumbs.get(2).getData())
                .containsExactly(Map.entry("target", "{\"id\":\"pay\",\"classes\":[\"b\",\"c\"]}"));
        assertThat(crumbs.get(3).getData())
                .as("data that is no object is dropped, the crumb kept")
                .isEmpty();
    }

    @Test
    void secretsInCrumbDataAreScrubbedOnBothPaths() throws Exception {
        List<Breadcrumb> crumbs = both(
                """
                {"message":"m","breadcrumbs":[{"type":"http","data":{
                  "url":"https://api.example/pay?access_token=tok_8f3a9c2e1b&amount=12",
                  "authorization":"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
                  "card":"4111 1111 1111 1111",
                  "number":4111111111111111,
                  "body":{"password":"hunter2","items":["AKIAIOSFODNN7EXAMPLE"]}}}]}""");

        Map<String, String> data = crumbs.get(0).getData();
        assertThat(data).containsOnlyKeys("url", "authorization", "card", "number", "body");
        assertThat(data.get("url"))
                .startsWith("https://api.example/pay?access_token=")
                .contains("amount=12");
        assertThat(data.toString())
                .doesNotContain("tok_8f3a9c2e1b")
                .doesNotContain("eyJhbGciOiJIUzI1NiJ9")
                .doesNotContain("4111")
                .doesNotContain("hunter2")
                .doesNotContain("AKIAIOSFODNN7EXAMPLE");
    }

    @Test
    void crumbDataIsBoundedInKeysAndValueLength() throws Exception {
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 30; i++) {
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i == 3 ? "null" : "\"v\"");
        }
        many.append(",\"long\":\"").append("x".repeat(5_000)).append("\"}");
        List<Breadcrumb> crumbs = both("{\"message\":\"m\",\"breadcrumbs\":[{\"data\":" + many + "}]}");

        Map<String, String> data = crumbs.get(0).getData();
        assertThat(data).hasSize(Scrubber.MAX_CRUMB_DATA_KEYS);
        assertThat(data)
                .containsKey("k0")
                .doesNotContainKey("k3")
                .containsKey("k20")
                .doesNotContainKey("long");

        List<Breadcrumb> clipped = both("{\"message\":\"m\",\"breadcrumbs\":[{\"data\":{\"long\":\""
                + "x".repeat(5_000) + "\",\"emoji\":\"" + "x".repeat(Scrubber.MAX_CRUMB_DATA_VALUE - 1)
                + "\\ud83d\\ude00\"}}]}");
        assertThat(clipped.get(0).getData().get("long"))
                .hasSize(Scrubber.MAX_CRUMB_DATA_VALUE + 1)
                .endsWith("x…");
        assertThat(clipped.get(0).getData().get("emoji"))
                .as("a code point is never cut in half")
                .isEqualTo("x".repeat(Scrubber.MAX_CRUMB_DATA_VALUE - 1) + "…");
    }

    @Test
    void aRepeatedKeyInCrumbDataIsTheTreesToResolve() throws Exception {
        List<Breadcrumb> crumbs =
                both("{\"message\":\"m\",\"breadcrumbs\":[{\"data\":{\"a\":null,\"b\":1,\"a\":\"2\"}}]}");
        assertThat(crumbs.get(0).getData()).containsExactly(Map.entry("a", "2"), Map.entry("b", "1"));
    }

    private List<Breadcrumb> both(String event) throws Exception {
        return paths.both(event).getBreadcrumbs();
    }
}
