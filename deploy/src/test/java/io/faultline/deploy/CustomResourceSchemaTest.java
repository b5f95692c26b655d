package io.faultline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every custom resource an overlay renders, validated against the CRD of the operator version the
 * docs install, strictly (a field the schema does not know is an error, as for a strict
 * {@code kubectl apply}); docker-compose.yml against the compose specification. The schemas are
 * the projects' own files, kept in {@code ../shared/deploy-schemas} (not part of a user's clone:
 * the tests skip there).
 */
class CustomResourceSchemaTest {

    static final Path SCHEMAS = Overlays.REPOSITORY.resolve("../shared/deploy-schemas");
    private static final Pattern STRIMZI_FILE = Pattern.compile("strimzi-([0-9.]+)-.*\\.yaml");
    private static final Pattern CNPG_FILE = Pattern.compile("cnpg-v([0-9.]+)-.*\\.yaml");
    /** Groups whose kinds have no CRD in the shared folder; checked structurally elsewhere. */
    private static final Set<String> UNCHECKED_GROUPS = Set.of("monitoring.coreos.com");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Map<String, Crd> crds;

    record Crd(String group, String kind, Map<String, JsonNode> servedSchemas, String file) {}

    static List<String> overlays() {
        return Overlays.names();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyCustomResourceMatchesTheCrdOfThePinnedOperator(String overlay) {
        Map<String, Crd> known = crds();
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> resource : Overlays.render(overlay).resources()) {
            String apiVersion = String.valueOf(resource.get("apiVersion"));
            if (!apiVersion.contains("/")
                    || !apiVersion.substring(0, apiVersion.indexOf('/')).contains(".")) {
                continue; // a built-in kind (KubernetesSchemaTest)
            }
            String group = apiVersion.substring(0, apiVersion.indexOf('/'));
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            String name = resource.get("kind") + " " + Tree.text(resource, "metadata", "name");
            if (UNCHECKED_GROUPS.contains(group) || group.endsWith(".k8s.io")) {
                continue;
            }
            Crd crd = known.get(group + "/" + resource.get("kind"));
            if (crd == null) {
                problems.add(name + ": no CRD for " + group + " " + resource.get("kind") + " in " + SCHEMAS);
                continue;
            }
            JsonNode schema = crd.servedSchemas().get(version);
            if (schema == null) {
                problems.add(name + ": " + apiVersion + " is not served by " + crd.file() + " (served: "
                        + crd.servedSchemas().keySet() + ")");
                continue;
            }
            for (ValidationMessage message : validator(schema).validate(JSON.valueToTree(resource))) {
                problems.add(name + ": " + message.getMessage());
            }
        }
        assertThat(problems).isEmpty();
    }

    /** The Kafka version of the Kafka resource is one the pinned Strimzi runs. */
    @ParameterizedTest
    @MethodSource("overlays")
    void theKafkaVersionIsOneThePinnedStrimziSupports(String overlay) throws IOException {
        assumeSchemas();
        Matcher supported = Pattern.compile("supported Kafka versions ([0-9., ]+)")
                .matcher(Files.readString(SCHEMAS.resolve("README.md")));
        assertThat(supported.find())
                .as("the README of " + SCHEMAS + " lists the supported versions")
                .isTrue();
        List<String> versions = List.of(supported.group(1).trim().split(",\\s*"));
        String version = Tree.text(Overlays.render(overlay).ofKind("Kafka").get(0), "spec", "kafka", "version");
        assertThat(versions).contains(version);
    }

    /** The guide installs exactly the operator versions the resources were validated against. */
    @Test
    void theGuideInstallsThePinnedOperatorVersions() throws IOException {
        assumeSchemas();
        String guide = Files.readString(Overlays.REPOSITORY.resolve("docs/operations.md"));
        String strimzi = pinned(STRIMZI_FILE);
        String cnpg = pinned(CNPG_FILE);
        assertThat(guide)
                .contains("strimzi-kafka-operator/releases/download/" + strimzi + "/strimzi-cluster-operator-" + strimzi
                        + ".yaml")
                .contains("cloudnative-pg/releases/download/v" + cnpg + "/cnpg-" + cnpg + ".yaml")
                .doesNotContainIgnoringCase("releases/latest")
                .doesNotContain("strimzi.io/install/latest");
    }

    @Test
    void dockerComposeMatchesTheComposeSpecification() throws IOException {
        assumeSchemas();
        ObjectNode spec =
                (ObjectNode) JSON.readTree(SCHEMAS.resolve("compose-spec.json").toFile());
        // a relative $id and the meta-schema URI only name the document; the factory fixes the draft
        spec.remove("$id");
        spec.remove("$schema");
        JsonSchema schema =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(spec);
        Map<String, Object> compose = YamlDocuments.readOne(Overlays.REPOSITORY.resolve("docker-compose.yml"));
        assertThat(schema.validate(JSON.valueToTree(compose))).isEmpty();
    }

    @Test
    void anUnknownFieldInACustomResourceIsFound() {
        Map<String, Crd> known = crds();
        Map<String, Object> cluster =
                Tree.copy(Overlays.render("prod").ofKind("Cluster").get(0));
        Tree.map(cluster, "spec").put("instanceCount", 3);
        JsonNode schema =
                known.get("postgresql.cnpg.io/Cluster").servedSchemas().get("v1");

        assertThat(validator(schema).validate(JSON.valueToTree(cluster)))
                .singleElement()
                .asString()
                .contains("instanceCount");
    }

    @Test
    void anUnknownFieldInTheComposeFileIsFound() throws IOException {
        assumeSchemas();
        ObjectNode spec =
                (ObjectNode) JSON.readTree(SCHEMAS.resolve("compose-spec.json").toFile());
        spec.remove("$id");
        spec.remove("$schema");
        Map<String, Object> compose =
                Tree.copy(YamlDocuments.readOne(Overlays.REPOSITORY.resolve("docker-compose.yml")));
        Tree.map(compose, "services", "ingest-service").put("readonly", true);

        assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                        .getSchema(spec)
                        .validate(JSON.valueToTree(compose)))
                .isNotEmpty()
                .anySatisfy(m -> assertThat(m.getMessage()).contains("readonly"));
    }

    private static String pinned(Pattern file) throws IOException {
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            return files.map(p -> file.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> m.group(1))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private static void assumeSchemas() {
        assumeTrue(
                Files.isDirectory(SCHEMAS),
                SCHEMAS.toAbsolutePath().normalize() + " is absent (it is not part of the repository): "
                        + "custom resources and docker-compose.yml are not validated against the operators' schemas");
    }

    private static synchronized Map<String, Crd> crds() {
        assumeSchemas();
        if (crds == null) {
            Map<String, Crd> loaded = new HashMap<>();
            try (Stream<Path> files = Files.list(SCHEMAS)) {
                for (Path file :
                        files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    for (Map<String, Object> document : YamlDocuments.read(file)) {
                        if (!"CustomResourceDefinition".equals(document.get("kind"))) {
                            continue;
                        }
                        Map<String, JsonNode> served = new HashMap<>();
                        for (Map<String, Object> version : Tree.maps(document, "spec", "versions")) {
                            if (Boolean.TRUE.equals(version.get("served"))) {
                                served.put(
                                        Tree.text(version, "name"),
                                        strict(JSON.valueToTree(Tree.map(version, "schema", "openAPIV3Schema"))));
                            }
                        }
                        String group = Tree.text(document, "spec", "group");
                        String kind = Tree.text(document, "spec", "names", "kind");
                        loaded.put(
                                group + "/" + kind,
                                new Crd(group, kind, served, file.getFileName().toString()));
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            crds = loaded;
        }
        return crds;
    }

    private static JsonSchema validator(JsonNode schema) {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
    }

    /**
     * An openAPIV3Schema as JSON Schema, the way the API server reads it: an object with
     * properties accepts no others unless it preserves unknown fields; int-or-string takes either;
     * nullable admits null.
     */
    static JsonNode strict(JsonNode node) {
        if (node instanceof ArrayNode array) {
            array.forEach(CustomResourceSchemaTest::strict);
            return node;
        }
        if (!(node instanceof ObjectNode object)) {
            return node;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("properties") && field.getValue() instanceof ObjectNode properties) {
                properties.forEach(CustomResourceSchemaTest::strict);
            } else if (!field.getKey().equals("enum") && !field.getKey().equals("default")) {
                strict(field.getValue());
            }
        }
        if (object.path("x-kubernetes-int-or-string").asBoolean(false)) {
            object.remove("type");
            ArrayNode anyOf = object.putArray("anyOf");
            anyOf.addObject().put("type", "integer");
            anyOf.addObject().put("type", "string");
        }
        if (object.path("nullable").asBoolean(false) && object.has("type")) {
            ArrayNode types =
                    JSON.createArrayNode().add(object.get("type").asText()).add("null");
            object.set("type", types);
        }
        if (object.has("properties")
                && !object.has("additionalProperties")
                && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            object.put("additionalProperties", false);
        }
        return object;
    }
}
