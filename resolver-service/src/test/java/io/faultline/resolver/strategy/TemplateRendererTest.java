package io.faultline.resolver.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateRendererTest {

    @Test
    void valuesAreEscapedForWhereTheyLand() {
        Map<String, String> vars = Map.of("message", "say \"hi\"\n\\", "tag.service", "pay ments/1");
        assertThat(TemplateRenderer.render("{\"m\":\"${message}\"}", vars, TemplateRenderer.JSON))
                .isEqualTo("{\"m\":\"say \\\"hi\\\"\\n\\\\\"}");
        assertThat(TemplateRenderer.render("http://h/${tag.service}/reset", vars, TemplateRenderer.URL))
                .isEqualTo("http://h/pay%20ments%2F1/reset");
        assertThat(TemplateRenderer.render("$1 ${tag.service}", vars, TemplateRenderer.PLAIN))
                .isEqualTo("$1 pay ments/1");
    }

    @Test
    void anUnknownPlaceholderIsAnErrorAndANullValueIsEmpty() {
        Map<String, String> vars = new HashMap<>();
        vars.put("release", null);
        assertThat(TemplateRenderer.render("r=${release}", vars, TemplateRenderer.PLAIN))
                .isEqualTo("r=");
        assertThatThrownBy(() -> TemplateRenderer.render("${relase}", vars, TemplateRenderer.PLAIN))
                .hasMessage("unknown placeholder ${relase}");
    }
}
