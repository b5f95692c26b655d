package io.faultline.classifier.classification;

import io.faultline.schemas.rulefile.RuleFault;
import io.faultline.schemas.rulefile.RuleNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

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

    private static final String TAG_PREFIX = "$tag:";
    /** {@code set: {workflow: "$keywords"}}: the workflow the {@code workflowKeywords} table finds. */
    static final String KEYWORDS = "$keywords";

    private static final Set<String> TOP_LEVEL_KEYS =
            Set.of("version", "workflows", "workflowKeywords", "typeHierarchy", "defaults", "rules");
    private static final Set<String> RULE_KEYS = Set.of("id", "description", "generic", "when", "unless", "set");
    private static final Set<String> CONDITION_KEYS = Set.of(
            "exception",
            "exceptionTypeMatches",
            "messageContains",
            "messageMatches",
            "httpStatus",
            "logger",
            "tags",
            "transaction",
            "frameModule",
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
        String text;
        try {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuleFileException(source, "cannot be read: " + e.getMessage(), e);
        }
        // a key written twice is refused by the reader: it would silently drop a type or rule
        Parser parser = new Parser(source);
        return parser.parse(RuleNode.read(text, parser.inRule(null)));
    }

    /** Turns the tree into rules, checking as it goes; one instance per file. */
    private static final class Parser {
        private final String source;

        Parser(String source) {
            this.source = source;
        }

        /** Faults of the rule {@code ruleId} (null: outside any rule), worded by {@link RuleFileException}. */
        private RuleFault.Reporter inRule(String ruleId) {
            return f -> f.cause() != null
                    ? new RuleFileException(source, f.problem(), f.cause())
                    : new RuleFileException(source, ruleId, f.field().isEmpty() ? null : f.field(), f.problem());
        }

        ClassificationRules parse(RuleNode root) {
            if (!root.isMapping()) {
                throw root.fault("must be a mapping with 'rules', 'defaults', 'workflows' and 'typeHierarchy'");
            }
            root.mapping(TOP_LEVEL_KEYS);
            Set<String> workflows = new LinkedHashSet<>();
            for (RuleNode name : root.get("workflows").items()) {
                workflows.add(textOf(name, root.get("workflows")));
            }
            TypeHierarchy hierarchy = hierarchyOf(root.get("typeHierarchy"));
            WorkflowKeywords keywords = keywordsOf(root.get("workflowKeywords"), workflows);
            RuleNode defaults = root.get("defaults");
            if (!defaults.isMapping()) {
                throw defaults.fault("required: a mapping with severity, category and businessImpact");
            }
            defaults.mapping(Set.of("severity", "category", "businessImpact"));
            Severity severity = enumOf(defaults.get("severity"), Severity::fromWire, Severity.values());
            Category category = enumOf(defaults.get("category"), Category::fromWire, Category.values());
            BusinessImpact impact =
                    enumOf(defaults.get("businessImpact"), BusinessImpact::fromWire, BusinessImpact.values());
            if (severity == null || category == null || impact == null) {
                throw defaults.fault("severity, category and businessImpact are all required");
            }
            List<ClassificationRule> rules = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            int index = 0;
            for (RuleNode rule : root.get("rules").items()) {
                index++;
                ClassificationRule parsed = ruleOf(rule, index, workflows);
                if (!ids.add(parsed.id())) {
                    throw rule.within(inRule(parsed.id())).get("id").fault("duplicate rule id");
                }
                rules.add(parsed);
            }
            return new ClassificationRules(hierarchy, keywords, workflows, severity, category, impact, rules);
        }

        private WorkflowKeywords keywordsOf(RuleNode table, Set<String> workflows) {
            Map<String, List<String>> keywords = new LinkedHashMap<>();
            if (!table.isAbsent() && !table.isMapping()) {
                throw table.fault("must map a workflow to its keywords");
            }
            Map<String, String> owner = new HashMap<>();
            for (Map.Entry<String, RuleNode> entry : table.fields().entrySet()) {
                RuleNode field = entry.getValue();
                if (!workflows.contains(entry.getKey())) {
                    throw field.fault("'" + entry.getKey() + "' is not in 'workflows' " + workflows);
                }
                List<String> words = textsOf(field);
                for (String word : words) {
                    if (!word.matches("[A-Za-z0-9]+")) {
                        throw field.fault("'" + word + "' is not one word of letters and digits");
                    }
                    String before = owner.put(word.toLowerCase(Locale.ROOT), entry.getKey());
                    if (before != null && !before.equals(entry.getKey())) {
                        throw field.fault("'" + word + "' is already a keyword of " + before);
                    }
                }
                keywords.put(entry.getKey(), words);
            }
            return new WorkflowKeywords(keywords);
        }

        private TypeHierarchy hierarchyOf(RuleNode table) {
            Map<String, List<String>> parents = new LinkedHashMap<>();
            if (!table.isAbsent() && !table.isMapping()) {
                throw table.fault("must map a type name to its parent type (or a list of parents)");
            }
            table.fields().forEach((type, supertypes) -> parents.put(type, textsOf(supertypes)));
            TypeHierarchy hierarchy = new TypeHierarchy(parents);
            String cyclic = hierarchy.findCycle();
            if (cyclic != null) {
                throw table.get(cyclic).fault("the type is its own supertype (cycle)");
            }
            return hierarchy;
        }

        private ClassificationRule ruleOf(RuleNode item, int index, Set<String> workflows) {
            RuleNode unnamed = item.within(inRule("#" + index));
            if (!unnamed.isMapping()) {
                throw unnamed.fault("a rule must be a mapping with id, when and set");
            }
            String id = unnamed.get("id").requiredString();
            RuleNode rule = item.within(inRule(id)).mapping(RULE_KEYS);
            RuleCondition when = conditionOf(rule.get("when"), workflows);
            RuleCondition unless = rule.has("unless") ? conditionOf(rule.get("unless"), workflows) : null;
            if (unless != null && unless.isEmpty()) {
                throw rule.get("unless").fault("is empty: it would exclude every event");
            }
            RuleNode set = rule.get("set");
            if (!set.isMapping() || set.fields().isEmpty()) {
                throw set.fault(
                        "required: a mapping with at least one of workflow, category, severity, businessImpact");
            }
            set.mapping(Set.of("severity", "category", "businessImpact", "workflow"));
            Severity severity = enumOf(set.get("severity"), Severity::fromWire, Severity.values());
            Category category = enumOf(set.get("category"), Category::fromWire, Category.values());
            BusinessImpact impact =
                    enumOf(set.get("businessImpact"), BusinessImpact::fromWire, BusinessImpact.values());
            String workflow = null;
            String workflowFromTag = null;
            if (set.has("workflow")) {
                String value = textOf(set.get("workflow"));
                if (value.equals(KEYWORDS)) {
                    workflowFromTag = KEYWORDS;
                } else if (value.startsWith(TAG_PREFIX)) {
                    workflowFromTag = value.substring(TAG_PREFIX.length());
                } else if (workflows.contains(value)) {
                    workflow = value;
                } else {
                    throw set.get("workflow")
                            .fault("'" + value + "' is not in 'workflows' " + workflows + " (or use " + TAG_PREFIX
                                    + "<tag> or " + KEYWORDS + ")");
                }
            }
            boolean generic = Boolean.TRUE.equals(flag(rule.get("generic")));
            ClassificationRule parsed = new ClassificationRule(
                    id, when, unless, severity, category, impact, workflow, workflowFromTag, generic);
            checkDecidedOrder(parsed, when, rule.get("when"));
            if (unless != null) {
                checkDecidedOrder(parsed, unless, rule.get("unless"));
            }
            return parsed;
        }

        /** A rule may read a decided field only if every field it sets is decided later. */
        private void checkDecidedOrder(ClassificationRule rule, RuleCondition condition, RuleNode part) {
            LabelField read = condition.readsDecided();
            if (read != null && rule.firstFieldSet().ordinal() <= read.ordinal()) {
                throw part.get(read.key())
                        .fault("a rule that sets " + rule.firstFieldSet().key()
                                + " cannot condition on " + read.key() + ": fields are decided in the order "
                                + List.of("workflow", "category", "severity", "businessImpact"));
            }
        }

        private RuleCondition conditionOf(RuleNode node, Set<String> workflows) {
            if (node.isAbsent()) {
                return new RuleCondition(
                        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
            }
            if (!node.isMapping()) {
                throw node.fault("must be a mapping of conditions " + CONDITION_KEYS);
            }
            node.mapping(CONDITION_KEYS);
            Set<String> types = node.has("exception") ? new LinkedHashSet<>(textsOf(node.get("exception"))) : null;
            if (types != null) {
                for (String type : types) {
                    if (type.contains("\\\\")) {
                        // a PHP namespace escaped as if quoted: in a plain YAML value it keeps both
                        // backslashes and matches no type ever sent
                        throw node.get("exception")
                                .fault("'" + type + "' has a doubled backslash; a PHP type is written"
                                        + " App\\Exceptions\\Name (one backslash unquoted, two inside double quotes)");
                    }
                }
            }
            List<String> contains = null;
            if (node.has("messageContains")) {
                contains = textsOf(node.get("messageContains")).stream()
                        .map(s -> s.toLowerCase(Locale.ROOT))
                        .toList();
            }
            List<int[]> statuses = null;
            if (node.has("httpStatus")) {
                statuses = new ArrayList<>();
                for (String range : textsOf(node.get("httpStatus"))) {
                    statuses.add(statusRange(range, node.get("httpStatus")));
                }
            }
            Map<String, Pattern> tags = null;
            if (node.has("tags")) {
                RuleNode tagNode = node.get("tags");
                if (!tagNode.isMapping() || tagNode.fields().isEmpty()) {
                    throw tagNode.fault("must map a tag key to a regular expression on its value");
                }
                tags = new LinkedHashMap<>();
                for (Map.Entry<String, RuleNode> entry : tagNode.fields().entrySet()) {
                    tags.put(entry.getKey(), pattern(entry.getValue()));
                }
            }
            Set<Category> categories = null;
            if (node.has("category")) {
                categories = new LinkedHashSet<>();
                for (String name : textsOf(node.get("category"))) {
                    categories.add(Category.fromWire(name).orElseThrow(() -> node.get("category")
                            .fault("unknown category '" + name + "', expected one of "
                                    + wireNames(Category.values()))));
                }
            }
            Set<String> conditionWorkflows = null;
            if (node.has("workflow")) {
                conditionWorkflows = new LinkedHashSet<>();
                for (String name : textsOf(node.get("workflow"))) {
                    if (!workflows.contains(name) && !RuleCondition.NO_WORKFLOW.equals(name)) {
                        throw node.get("workflow").fault("'" + name + "' is not in 'workflows' " + workflows);
                    }
                    conditionWorkflows.add(name);
                }
            }
            Set<Severity> severities = null;
            if (node.has("severity")) {
                severities = new LinkedHashSet<>();
                for (String name : textsOf(node.get("severity"))) {
                    severities.add(Severity.fromWire(name).orElseThrow(() -> node.get("severity")
                            .fault("unknown severity '" + name + "', expected one of "
                                    + wireNames(Severity.values()))));
                }
            }
            return new RuleCondition(
                    types,
                    optionalPattern(node.get("exceptionTypeMatches")),
                    contains,
                    optionalPattern(node.get("messageMatches")),
                    statuses,
                    optionalPattern(node.get("logger")),
                    tags,
                    optionalPattern(node.get("transaction")),
                    optionalPattern(node.get("frameModule")),
                    lowerSet(node.get("level")),
                    lowerSet(node.get("platform")),
                    flag(node.get("handled")),
                    flag(node.get("background")),
                    categories,
                    conditionWorkflows,
                    severities);
        }

        private static int[] statusRange(String text, RuleNode field) {
            String[] bounds = text.split("-", -1);
            try {
                int from = Integer.parseInt(bounds[0].trim());
                int to = bounds.length == 2 ? Integer.parseInt(bounds[1].trim()) : from;
                if (bounds.length > 2 || from < 100 || to > 599 || from > to) {
                    throw new NumberFormatException();
                }
                return new int[] {from, to};
            } catch (NumberFormatException e) {
                throw field.fault("'" + text + "' is not a status or a range like 500-599");
            }
        }

        /** Present (even as null) means set: {@code handled:} with no value is a mistake, not "any". */
        private static Boolean flag(RuleNode node) {
            if (node.isMissing()) {
                return null;
            }
            if (!node.json().isBoolean()) {
                throw node.fault("must be true or false");
            }
            return node.bool(false);
        }

        private static Pattern optionalPattern(RuleNode node) {
            return node.isMissing() ? null : pattern(node);
        }

        private static Pattern pattern(RuleNode node) {
            textOf(node);
            return node.regex(0);
        }

        private static Set<String> lowerSet(RuleNode node) {
            if (node.isMissing()) {
                return null;
            }
            Set<String> values = new LinkedHashSet<>();
            for (String value : textsOf(node)) {
                values.add(value.toLowerCase(Locale.ROOT));
            }
            return values;
        }

        private static <E extends Enum<E>> E enumOf(RuleNode node, Function<String, Optional<E>> byName, E[] all) {
            if (node.isAbsent()) {
                return null;
            }
            String name = textOf(node);
            return byName.apply(name)
                    .orElseThrow(() -> node.fault("unknown value '" + name + "', expected one of " + wireNames(all)));
        }

        private static String textOf(RuleNode node) {
            return textOf(node, node);
        }

        /** A non-empty single value; a fault is reported at {@code field}, the list it may be an item of. */
        private static String textOf(RuleNode node, RuleNode field) {
            if (!node.isValue() || node.text().isEmpty()) {
                throw field.fault("must be a non-empty string");
            }
            return node.text();
        }

        /** A single value or a non-empty list of them. */
        private static List<String> textsOf(RuleNode node) {
            if (!node.isList()) {
                return List.of(textOf(node));
            }
            if (node.items().isEmpty()) {
                throw node.fault("is an empty list: it would never match");
            }
            List<String> values = new ArrayList<>();
            for (RuleNode item : node.items()) {
                values.add(textOf(item, node));
            }
            return values;
        }

        private static String wireNames(Enum<?>[] values) {
            return Arrays.stream(values)
                    .map(v -> v.name().toLowerCase(Locale.ROOT))
                    .toList()
                    .toString();
        }
    }
}
