package io.faultline.classifier.classification;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Errors of common libraries across ecosystems (Npgsql, ActiveRecord, Doctrine, Knex, asyncpg, Go
 * net, Stripe in Ruby and PHP, IdentityModel, Passport, Laravel, Polly, Faraday, Ktor, requests,
 * Kestrel, Django, Pundit, SQL Server, Stripe.js), labelled from the guide and the libraries' documented
 * types and messages, never from a labelled event: the rule file's type table and message shapes
 * must decide them, with the label the guide gives, without falling back to the defaults or the
 * learned model.
 */
class EcosystemKnowledgeTest {

    private static final Path EVENTS = Path.of("src/test/resources/ecosystem-knowledge.jsonl");

    @Test
    void theRulesKnowCommonLibrariesErrorsAcrossEcosystems() throws Exception {
        EventClassifier rulesAlone =
                new EventClassifier(ClassificationRules.loadDefault(), new InMemoryGroupLabelOverrides(), null);
        List<ClassificationEvaluation.Labelled> events = ClassificationEvaluation.load(EVENTS);

        assertThat(events).hasSizeGreaterThanOrEqualTo(20);
        for (ClassificationEvaluation.Labelled e : events) {
            ClassificationResult r = rulesAlone.classify(ClassificationInput.from(e.event(), e.id(), null));
            assertThat(r.severity().wireName()).as(e.id() + " severity").isEqualTo(e.expected()[0]);
            assertThat(r.category().wireName()).as(e.id() + " category").isEqualTo(e.expected()[1]);
            assertThat(r.ruleFor("category")).as(e.id() + " decided by").isNotEqualTo("default");
            assertThat(r.ruleFor("severity")).as(e.id() + " decided by").isNotEqualTo("default");
        }
    }
}
