package io.faultline.impact.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowFileParserTest {

    private static WorkflowCatalog parse(String yaml) {
        return WorkflowFileParser.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    @Test
    void theBundledExampleHoldsTheFirstUsersSevenWorkflows() {
        WorkflowCatalog catalog = WorkflowCatalogProducer.bundled();

        assertThat(catalog.workflows())
                .extracting(Workflow::name, Workflow::weight, Workflow::revenuePerHour)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("booking", 0.25, 150.0),
                        org.assertj.core.groups.Tuple.tuple("payment_processing", 0.25, 200.0),
                        org.assertj.core.groups.Tuple.tuple("client_management", 0.15, 75.0),
                        org.assertj.core.groups.Tuple.tuple("revenue_tracking", 0.10, 25.0),
                        org.assertj.core.groups.Tuple.tuple("brand_building", 0.10, 50.0),
                        org.assertj.core.groups.Tuple.tuple("efficiency_optimization", 0.10, 100.0),
                        org.assertj.core.groups.Tuple.tuple("professional_growth", 0.05, 30.0));
        assertThat(catalog.workflows().stream().mapToDouble(Workflow::weight).sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void attributionPrefersExplicitThenTransactionThenServiceThenCategory() {
        WorkflowCatalog catalog = WorkflowCatalogProducer.bundled();

        assertThat(catalog.attribute("brand_building", "/api/bookings/1", null, "payment"))
                .isEqualTo("brand_building");
        assertThat(catalog.attribute(null, "/api/bookings/42/confirm", null, "payment"))
                .isEqualTo("booking");
        assertThat(catalog.attribute(null, "/unknown", "payment-service", "booking"))
                .isEqualTo("payment_processing");
        assertThat(catalog.attribute(null, "/unknown", null, "booking")).isEqualTo("booking");
        assertThat(catalog.attribute(null, null, null, "database")).isEqualTo(WorkflowCatalog.UNATTRIBUTED);
    }

    @Test
    void transactionGlobsMatchWholeNamesAndQuoteEverythingElse() {
        WorkflowCatalog catalog = new WorkflowCatalog(List.of(
                new Workflow("bookings", 0.5, 1, List.of("/api/booking*"), List.of(), List.of()),
                new Workflow("dotted", 0.5, 1, List.of("booking.?", "100\\%"), List.of(), List.of())));

        assertThat(catalog.attribute(null, "/api/bookings/3", null, null)).isEqualTo("bookings");
        assertThat(catalog.attribute(null, "/v2/api/bookings", null, null)).isEqualTo(WorkflowCatalog.UNATTRIBUTED);
        assertThat(catalog.attribute(null, "booking.x", null, null)).isEqualTo("dotted");
        assertThat(catalog.attribute(null, "bookingAxy", null, null)).isEqualTo(WorkflowCatalog.UNATTRIBUTED);
        assertThat(catalog.attribute(null, "100%", null, null)).isEqualTo("dotted");
    }

    @Test
    void aBadFieldIsReportedWithItsEntryAndName() {
        assertThatThrownBy(
                        () -> parse(
                                """
                        workflows:
                          - name: booking
                            weight: 0.5
                            revenuePerHour: 150
                          - name: payments
                            weight: 1.5
                            revenuePerHour: 200
                        """))
                .isInstanceOf(WorkflowFileParser.InvalidWorkflowFileException.class)
                .hasMessage("test.yaml: workflows[1] (payments): field 'weight': must be between 0.0 and 1.0, was 1.5");
        assertThatThrownBy(
                        () -> parse(
                                """
                        workflows:
                          - name: booking
                            weight: 0.5
                        """))
                .hasMessageContaining("workflows[0] (booking): field 'revenuePerHour': is required");
        assertThatThrownBy(
                        () -> parse(
                                """
                        workflows:
                          - name: booking
                            weight: 0.5
                            revenuePerHour: 1
                            match: {routes: ["/x"]}
                        """))
                .hasMessageContaining(
                        "workflows[0] (booking): field 'match.routes': unknown field (expected one of: categories, services, transactions)");
        assertThatThrownBy(
                        () -> parse(
                                """
                        workflows:
                          - weight: 0.5
                        """))
                .hasMessageContaining("workflows[0]: field 'name': is required");
        assertThatThrownBy(
                        () -> parse(
                                """
                        workflows:
                          - {name: a, weight: 0.5, revenuePerHour: 1}
                          - {name: a, weight: 0.5, revenuePerHour: 1}
                        """))
                .hasMessageContaining("workflows[1] (a): field 'name': duplicates");
        assertThatThrownBy(
                        () -> parse(
                                """
                        workflows:
                          - {name: a, weight: 0.5, revenuePerHour: 100, revenuePerHour: 1}
                        """))
                .hasMessage(
                        "test.yaml: field 'workflows[0].revenuePerHour': the key appears twice in the same mapping");
        assertThatThrownBy(() -> parse("nope: []")).hasMessageContaining("field 'workflows': must be a non-empty list");
    }
}
