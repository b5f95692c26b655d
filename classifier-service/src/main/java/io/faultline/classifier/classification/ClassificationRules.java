package io.faultline.classifier.classification;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A parsed and checked rule file (YAML, or JSON which is YAML too). Loading fails with a
 * {@link RuleFileException} naming the rule and the field, so an operator's typo never reaches the
 * stream; the file's header comment documents the format and the precedence. Immutable.
 */
public final class ClassificationRules {

    /** The rule file shipped in the jar. */
    public static final String DEFAULT_RESOURCE = "classification-rules.yaml";

    /** The rule id reported for fields no rule decided. */
    public static final String DEFAULT_RULE_ID = "default";

    // Duplicate keys would silently drop a type or rule an operator wrote twice.
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String TAG_PREFIX = "$tag:";
    /** {@code set: {workflow: "$keywords"}}: the workflow the {@code workflowKeywords} table finds. */
    static final String KEYWORDS = "$keywords";

    private static final Set<String> TOP_LEVEL_KEYS =
            Set.of("version", "workflows", "workflowKeywords", "typeHierarchy", "defaults", "rules");
    private static final Set<String> RULE_KEYS = Set.of("id", "description", "when", "unless", "set");
    private static final Set<String> CONDITION_KEYS = Set.of(
            "exception",
            "exceptionTypeMatches",
            "messageContains",
            "messageMatches",
            "httpStatus",
            "logger",
            "tags",
            "transaction",
            "level",
            "platform",
            "handled",
            "background",
            "category",
            "workflow",
            "severity");

    private final TypeHierarchy hierarchy;
    private final Set<String> workflows;
    private final Severity defaultSeverity;
    private final Category defaultCategory;
    private final BusinessImpact defaultBusinessImpact;
    private final List<ClassificationRule> rules;
    private final WorkflowKeywords workflowKeywords;

    private ClassificationRules(
            TypeHierarchy hierarchy,
            WorkflowKeywords workflowKeywords,
            Set<String> workflows,
            Severity defaultSeverity,
            Category defaultCategory,
            BusinessImpact defaultBusinessImpact,
            List<ClassificationRule> rules) {
        this.hierarchy = hierarchy;
        this.workflowKeywords = workflowKeywords;
        this.workflows = Set.copyOf(workflows);
        this.defaultSeverity = defaultSeverity;
        this.defaultCategory = defaultCategory;
        this.defaultBusinessImpact = defaultBusinessImpact;
        this.rules = List.copyOf(rules);
    }

    public TypeHierarchy hierarchy() {
        return hierarchy;
    }

    WorkflowKeywords workflowKeywords() {
        return workflowKeywords;
    }

    /**
     * A workflow name as rules, errors and traffic all key it: trimmed, lower case, spaces and
     * dashes as underscores ("Payment Processing" and "payment-processing" are payment_processing).
     */
    public static String workflowName(String name) {
        return name == null
                ? null
                : name.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    }

    /** The workflow names rules and tags may assign. */
    public Set<String> workflows() {
        return workflows;
    }

    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    public Category defaultCategory() {
        return defaultCategory;
    }

    public BusinessImpact defaultBusinessImpact() {
        return defaultBusinessImpact;
    }

    /** The rule ids in file order, which is their precedence. */
    public List<String> ruleIds() {
        return rules.stream().map(ClassificationRule::id).toList();
    }

    List<ClassificationRule> rules() {
        return rules;
    }

    /** The shipped defaults. */
    public static ClassificationRules loadDefault() {
        try (InputStream in = ClassificationRules.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new RuleFileException(DEFAULT_RESOURCE, null, null, "not on the classpath");
            }
            return load(in, "classpath:" + DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new RuleFileException(DEFAULT_RESOURCE, "cannot be read", e);
        }
    }

    /** An operator's rule file. */
    public static ClassificationRules load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString());
        } catch (IOException e) {
            throw new RuleFileException(file.toString(), "cannot be read: " + e.getMessage(), e);
        }
    }

    /** @param source names the stream in error messages (a path or URL) */
    public static ClassificationRules load(InputStream in, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (IOException e) {
            throw new RuleFileException(source, "is not valid YAML/JSON: " + e.getMessage(), e);
        }
        return new Parser(source).parse(root);
    }

    /** Turns the tree into rules, checking as it goes; one instance per file. */
    private static final class Parser {
        private final String source;

        Parser(String source) {
            this.source = source;
        }

        private RuleFileException fault(String ruleId, String field, String problem) {
            return new RuleFileException(source, ruleId, field, problem);
        }

        ClassificationRules parse(JsonNode root) {
            if (root == null || !root.isObject()) {
                throw fault(null, null, "must be a mapping with 'rules', 'defaults', 'workflows' and 'typeHierarchy'");
            }
            checkKeys(root, TOP_LEVEL_KEYS, null, "");
            Set<String> workflows = new LinkedHashSet<>();
            for (JsonNode name : arrayOf(root.path("workflows"), null, "workflows")) {
                workflows.add(textOf(name, null, "workflows"));
            }
            TypeHierarchy hierarchy = hierarchyOf(root.path("typeHierarchy"));
            WorkflowKeywords keywords = keywordsOf(root.path("workflowKeywords"), workflows);
            JsonNode defaults = root.path("defaults");
            if (!defaults.isObject()) {
                throw fault(null, "defaults", "required: a mapping with severity, category and businessImpact");
            }
            checkKeys(defaults, Set.of("severity", "category", "businessImpact"), null, "defaults.");
            Severity severity =
                    enumOf(defaults.get("severity"), Severity::fromWire, Severity.values(), null, "defaults.severity");
            Category category =
                    enumOf(defaults.get("category"), Category::fromWire, Category.values(), null, "defaults.category");
            BusinessImpact impact = enumOf(
                    defaults.get("businessImpact"),
                    BusinessImpact::fromWire,
                    BusinessImpact.values(),
                    null,
                    "defaults.businessImpact");
            if (severity == null || category == null || impact == null) {
                throw fault(null, "defaults", "severity, category and businessImpact are all required");
            }
            List<ClassificationRule> rules = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            int index = 0;
            for (JsonNode rule : arrayOf(root.path("rules"), null, "rules")) {
                index++;
                ClassificationRule parsed = ruleOf(rule, index, workflows);
                if (!ids.add(parsed.id())) {
                    throw fault(parsed.id(), "id", "duplicate rule id");
                }
                rules.add(parsed);
            }
            return new ClassificationRules(hierarchy, keywords, workflows, severity, category, impact, rules);
        }

        private WorkflowKeywords keywordsOf(JsonNode table, Set<String> workflows) {
            Map<String, List<String>> keywords = new LinkedHashMap<>();
            if (table.isMissingNode() || table.isNull()) {
                return new WorkflowKeywords(keywords);
            }
            if (!table.isObject()) {
                throw fault(null, "workflowKeywords", "must map a workflow to its keywords");
            }
            Map<String, String> owner = new HashMap<>();
            Iterator<Map.Entry<String, JsonNode>> entries = table.properties().iterator();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                String field = "workflowKeywords." + entry.getKey();
                if (!workflows.contains(entry.getKey())) {
                    throw fault(null, field, "'" + entry.getKey() + "' is not in 'workflows' " + workflows);
                }
                List<String> words = textsOf(entry.getValue(), null, field);
                for (String word : words) {
                    if (!word.matches("[A-Za-z0-9]+")) {
                        throw fault(null, field, "'" + word + "' is not one word of letters and digits");
                    }
                    String before = owner.put(word.toLowerCase(Locale.ROOT), entry.getKey());
                    if (before != null && !before.equals(entry.getKey())) {
                        throw fault(null, field, "'" + word + "' is already a keyword of " + before);
                    }
                }
                keywords.put(entry.getKey(), words);
            }
            return new WorkflowKeywords(keywords);
        }

        private TypeHierarchy hierarchyOf(JsonNode table) {
            Map<String, List<String>> parents = new LinkedHashMap<>();
            if (table.isMissingNode() || table.isNull()) {
                return new TypeHierarchy(parents);
            }
            if (!table.isObject()) {
                throw fault(null, "typeHierarchy", "must map a type name to its parent type (or a list of parents)");
            }
            Iterator<Map.Entry<String, JsonNode>> entries = table.properties().iterator();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                String field = "typeHierarchy." + entry.getKey();
                parents.put(entry.getKey(), textsOf(entry.getValue(), null, field));
            }
            TypeHierarchy hierarchy = new TypeHierarchy(parents);
            String cyclic = hierarchy.findCycle();
            if (cyclic != null) {
                throw fault(null, "typeHierarchy." + cyclic, "the type is its own supertype (cycle)");
            }
            return hierarchy;
        }

        private ClassificationRule ruleOf(JsonNode rule, int index, Set<String> workflows) {
            if (!rule.isObject()) {
                throw fault("#" + index, null, "a rule must be a mapping with id, when and set");
            }
            JsonNode idNode = rule.get("id");
            if (idNode == null || !idNode.isTextual() || idNode.asText().isBlank()) {
                throw fault("#" + index, "id", "required (a non-empty string)");
            }
            String id = idNode.asText();
            checkKeys(rule, RULE_KEYS, id, "");
            RuleCondition when = conditionOf(rule.get("when"), id, "when", workflows);
            RuleCondition unless = rule.has("unless") ? conditionOf(rule.get("unless"), id, "unless", workflows) : null;
            if (unless != null && unless.isEmpty()) {
                throw fault(id, "unless", "is empty: it would exclude every event");
            }
            JsonNode set = rule.get("set");
            if (set == null || !set.isObject() || set.isEmpty()) {
                throw fault(
                        id,
                        "set",
                        "required: a mapping with at least one of workflow, category, severity, businessImpact");
            }
            checkKeys(set, Set.of("severity", "category", "businessImpact", "workflow"), id, "set.");
            Severity severity = enumOf(set.get("severity"), Severity::fromWire, Severity.values(), id, "set.severity");
            Category category = enumOf(set.get("category"), Category::fromWire, Category.values(), id, "set.category");
            BusinessImpact impact = enumOf(
                    set.get("businessImpact"),
                    BusinessImpact::fromWire,
                    BusinessImpact.values(),
                    id,
                    "set.businessImpact");
            String workflow = null;
            String workflowFromTag = null;
            if (set.has("workflow")) {
                String value = textOf(set.get("workflow"), id, "set.workflow");
                if (value.equals(KEYWORDS)) {
                    workflowFromTag = KEYWORDS;
                } else if (value.startsWith(TAG_PREFIX)) {
                    workflowFromTag = value.substring(TAG_PREFIX.length());
                } else if (workflows.contains(value)) {
                    workflow = value;
                } else {
                    throw fault(
                            id,
                            "set.workflow",
                            "'" + value + "' is not in 'workflows' " + workflows + " (or use " + TAG_PREFIX
                                    + "<tag> or " + KEYWORDS + ")");
                }
            }
            ClassificationRule parsed =
                    new ClassificationRule(id, when, unless, severity, category, impact, workflow, workflowFromTag);
            checkDecidedOrder(parsed, when, "when");
            if (unless != null) {
                checkDecidedOrder(parsed, unless, "unless");
            }
            return parsed;
        }

        /** A rule may read a decided field only if every field it sets is decided later. */
        private void checkDecidedOrder(ClassificationRule rule, RuleCondition condition, String part) {
            LabelField read = condition.readsDecided();
            if (read != null && rule.firstFieldSet().ordinal() <= read.ordinal()) {
                throw fault(
                        rule.id(),
                        part + "." + read.key(),
                        "a rule that sets " + rule.firstFieldSet().key()
                                + " cannot condition on " + read.key() + ": fields are decided in the order "
                                + List.of("workflow", "category", "severity", "businessImpact"));
            }
        }

        private RuleCondition conditionOf(JsonNode node, String id, String part, Set<String> workflows) {
            if (node == null || node.isNull()) {
                return new RuleCondition(
                        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
            }
            if (!node.isObject()) {
                throw fault(id, part, "must be a mapping of conditions " + CONDITION_KEYS);
            }
            checkKeys(node, CONDITION_KEYS, id, part + ".");
            Set<String> types = node.has("exception")
                    ? new LinkedHashSet<>(textsOf(node.get("exception"), id, part + ".exception"))
                    : null;
            List<String> contains = null;
            if (node.has("messageContains")) {
                contains = textsOf(node.get("messageContains"), id, part + ".messageContains").stream()
                        .map(s -> s.toLowerCase(Locale.ROOT))
                        .toList();
            }
            List<int[]> statuses = null;
            if (node.has("httpStatus")) {
                statuses = new ArrayList<>();
                for (String range : textsOf(node.get("httpStatus"), id, part + ".httpStatus")) {
                    statuses.add(statusRange(range, id, part + ".httpStatus"));
                }
            }
            Map<String, Pattern> tags = null;
            if (node.has("tags")) {
                JsonNode tagNode = node.get("tags");
                if (!tagNode.isObject() || tagNode.isEmpty()) {
                    throw fault(id, part + ".tags", "must map a tag key to a regular expression on its value");
                }
                tags = new LinkedHashMap<>();
                Iterator<Map.Entry<String, JsonNode>> entries =
                        tagNode.properties().iterator();
                while (entries.hasNext()) {
                    Map.Entry<String, JsonNode> entry = entries.next();
                    String field = part + ".tags." + entry.getKey();
                    tags.put(entry.getKey(), pattern(textOf(entry.getValue(), id, field), id, field));
                }
            }
            Set<Category> categories = null;
            if (node.has("category")) {
                categories = new LinkedHashSet<>();
                for (String name : textsOf(node.get("category"), id, part + ".category")) {
                    categories.add(Category.fromWire(name)
                            .orElseThrow(() -> fault(
                                    id,
                                    part + ".category",
                                    "unknown category '" + name + "', expected one of "
                                            + wireNames(Category.values()))));
                }
            }
            Set<String> conditionWorkflows = null;
            if (node.has("workflow")) {
                conditionWorkflows = new LinkedHashSet<>();
                for (String name : textsOf(node.get("workflow"), id, part + ".workflow")) {
                    if (!workflows.contains(name) && !RuleCondition.NO_WORKFLOW.equals(name)) {
                        throw fault(id, part + ".workflow", "'" + name + "' is not in 'workflows' " + workflows);
                    }
                    conditionWorkflows.add(name);
                }
            }
            Set<Severity> severities = null;
            if (node.has("severity")) {
                severities = new LinkedHashSet<>();
                for (String name : textsOf(node.get("severity"), id, part + ".severity")) {
                    severities.add(Severity.fromWire(name)
                            .orElseThrow(() -> fault(
                                    id,
                                    part + ".severity",
                                    "unknown severity '" + name + "', expected one of "
                                            + wireNames(Severity.values()))));
                }
            }
            Boolean handled = null;
            if (node.has("handled")) {
                if (!node.get("handled").isBoolean()) {
                    throw fault(id, part + ".handled", "must be true or false");
                }
                handled = node.get("handled").asBoolean();
            }
            Boolean background = null;
            if (node.has("background")) {
                if (!node.get("background").isBoolean()) {
                    throw fault(id, part + ".background", "must be true or false");
                }
                background = node.get("background").asBoolean();
            }
            return new RuleCondition(
                    types,
                    optionalPattern(node, "exceptionTypeMatches", id, part),
                    contains,
                    optionalPattern(node, "messageMatches", id, part),
                    statuses,
                    optionalPattern(node, "logger", id, part),
                    tags,
                    optionalPattern(node, "transaction", id, part),
                    lowerSet(node, "level", id, part),
                    lowerSet(node, "platform", id, part),
                    handled,
                    background,
                    categories,
                    conditionWorkflows,
                    severities);
        }

        private int[] statusRange(String text, String id, String field) {
            String[] bounds = text.split("-", -1);
            try {
                int from = Integer.parseInt(bounds[0].trim());
                int to = bounds.length == 2 ? Integer.parseInt(bounds[1].trim()) : from;
                if (bounds.length > 2 || from < 100 || to > 599 || from > to) {
                    throw new NumberFormatException();
                }
                return new int[] {from, to};
            } catch (NumberFormatException e) {
                throw fault(id, field, "'" + text + "' is not a status or a range like 500-599");
            }
        }

        private Pattern optionalPattern(JsonNode node, String key, String id, String part) {
            return node.has(key) ? pattern(textOf(node.get(key), id, part + "." + key), id, part + "." + key) : null;
        }

        private Pattern pattern(String regex, String id, String field) {
            try {
                return Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw fault(
                        id,
                        field,
                        "invalid regular expression: " + e.getDescription() + " near index " + e.getIndex() + " in '"
                                + regex + "'");
            }
        }

        private Set<String> lowerSet(JsonNode node, String key, String id, String part) {
            if (!node.has(key)) {
                return null;
            }
            Set<String> values = new LinkedHashSet<>();
            for (String value : textsOf(node.get(key), id, part + "." + key)) {
                values.add(value.toLowerCase(Locale.ROOT));
            }
            return values;
        }

        private <E extends Enum<E>> E enumOf(
                JsonNode node, Function<String, Optional<E>> byName, E[] all, String id, String field) {
            if (node == null || node.isNull()) {
                return null;
            }
            String name = textOf(node, id, field);
            return byName.apply(name)
                    .orElseThrow(
                            () -> fault(id, field, "unknown value '" + name + "', expected one of " + wireNames(all)));
        }

        private void checkKeys(JsonNode node, Set<String> allowed, String id, String prefix) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    throw fault(id, prefix + name, "unknown key, expected one of " + new TreeSet<>(allowed));
                }
            }
        }

        private Iterable<JsonNode> arrayOf(JsonNode node, String id, String field) {
            if (node.isMissingNode() || node.isNull()) {
                return List.of();
            }
            if (!node.isArray()) {
                throw fault(id, field, "must be a list");
            }
            return node;
        }

        private String textOf(JsonNode node, String id, String field) {
            if (node == null
                    || !node.isValueNode()
                    || node.isNull()
                    || node.asText().isEmpty()) {
                throw fault(id, field, "must be a non-empty string");
            }
            return node.asText();
        }

        /** A single value or a list of them. */
        private List<String> textsOf(JsonNode node, String id, String field) {
            if (node.isArray()) {
                if (node.isEmpty()) {
                    throw fault(id, field, "is an empty list: it would never match");
                }
                List<String> values = new ArrayList<>();
                for (JsonNode element : node) {
                    values.add(textOf(element, id, field));
                }
                return values;
            }
            return List.of(textOf(node, id, field));
        }

        private static String wireNames(Enum<?>[] values) {
            return Arrays.stream(values)
                    .map(v -> v.name().toLowerCase(Locale.ROOT))
                    .toList()
                    .toString();
        }
    }
}
