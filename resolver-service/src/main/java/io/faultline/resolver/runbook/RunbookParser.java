package io.faultline.resolver.runbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a runbook file (YAML). Strict on purpose: an unknown key, a wrong type or an unknown
 * strategy is an error naming the runbook and the field, because a typo that silently disables
 * a criterion would make a runbook act on errors it was never meant for.
 */
public final class RunbookParser {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Set<String> RUNBOOK_KEYS = Set.of(
            "id",
            "description",
            "enabled",
            "dryRun",
            "requireApproval",
            "window",
            "maxActionsPerHour",
            "match",
            "actions",
            "verification",
            "escalation");
    private static final Set<String> MATCH_KEYS = Set.of(
            "groupIds",
            "projects",
            "fingerprint",
            "categories",
            "severities",
            "businessImpacts",
            "workflows",
            "releases",
            "environments",
            "exceptionTypes",
            "message",
            "messageRegex",
            "tags",
            "signalTypes");
    private static final Set<String> ACTION_KEYS =
            Set.of("name", "strategy", "target", "parameters", "maxAttempts", "backoff", "timeout");
    private static final Set<String> BACKOFF_KEYS = Set.of("initial", "max", "multiplier", "jitter");
    private static final Set<String> VERIFICATION_KEYS = Set.of("quietFor", "rateBelowPerMinute", "within");
    private static final Set<String> ESCALATION_KEYS = Set.of("notify", "message");

    /*
     * The classifier's vocabulary (docs/architecture.md, io.faultline.classifier.classification).
     * A value outside it can never match, so a runbook naming one would silently never act.
     */
    static final List<String> CATEGORIES = List.of(
            "authentication",
            "payment",
            "booking",
            "database",
            "external_api",
            "validation",
            "performance",
            "security",
            "user_experience",
            "business_logic");
    static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low", "info");
    static final List<String> BUSINESS_IMPACTS =
            List.of("revenue_blocking", "user_blocking", "experience_degrading", "operational", "monitoring");

    /** Default tries per strategy when the action does not say; redrive is retried by design. */
    private static final Map<String, Integer> DEFAULT_ATTEMPTS = Map.of("redrive", 3);

    private final Set<String> strategies;
    private final Set<String> channels;

    /**
     * @param strategies the strategy names an action may use
     * @param channels the notification channel names an escalation may use
     */
    public RunbookParser(Set<String> strategies, Set<String> channels) {
        this.strategies = new TreeSet<>(strategies);
        this.channels = new TreeSet<>(channels);
    }

    public List<Runbook> parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new RunbookFileException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return List.of();
        }
        if (!root.isObject() || !root.has("runbooks")) {
            throw new RunbookFileException(source + ": expected a top-level 'runbooks:' list");
        }
        if (root.size() > 1) {
            // a key of another format (version, defaults...) would otherwise be ignored in silence
            List<String> unknown = new ArrayList<>();
            root.fieldNames().forEachRemaining(k -> {
                if (!k.equals("runbooks")) {
                    unknown.add(k);
                }
            });
            throw new RunbookFileException(
                    source + ": unknown top-level key(s) " + unknown + "; a runbook file holds only 'runbooks:'");
        }
        JsonNode list = root.get("runbooks");
        if (list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new RunbookFileException(source + ": 'runbooks' must be a list");
        }
        List<Runbook> runbooks = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String label = node.hasNonNull("id") ? "'" + node.get("id").asText() + "'" : "#" + (i + 1);
            Fields f = new Fields(source + ": runbook " + label, "");
            Runbook runbook = runbook(node, f);
            if (!ids.add(runbook.id())) {
                throw f.error("id", "duplicate runbook id '" + runbook.id() + "'");
            }
            runbooks.add(runbook);
        }
        return List.copyOf(runbooks);
    }

    private Runbook runbook(JsonNode node, Fields f) {
        f.object(node, RUNBOOK_KEYS);
        String id = f.requiredText(node, "id");
        JsonNode actionsNode = node.get("actions");
        if (actionsNode == null || !actionsNode.isArray() || actionsNode.isEmpty()) {
            throw f.error("actions", "at least one action is required");
        }
        List<ActionSpec> actions = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < actionsNode.size(); i++) {
            ActionSpec action = action(actionsNode.get(i), f.nested("actions[" + i + "]"));
            if (!names.add(action.name())) {
                throw f.nested("actions[" + i + "]").error("name", "duplicate action name '" + action.name() + "'");
            }
            actions.add(action);
        }
        int maxPerHour = f.integer(node, "maxActionsPerHour", 10);
        if (maxPerHour < 1) {
            throw f.error("maxActionsPerHour", "must be at least 1");
        }
        return new Runbook(
                id,
                f.text(node, "description", ""),
                f.bool(node, "enabled", true),
                f.bool(node, "dryRun", false),
                f.bool(node, "requireApproval", false),
                f.duration(node, "window", Duration.ofMinutes(10)),
                maxPerHour,
                match(node.get("match"), f.nested("match")),
                actions,
                verification(node.get("verification"), f.nested("verification")),
                escalation(node.get("escalation"), f.nested("escalation")));
    }

    private MatchCriteria match(JsonNode node, Fields f) {
        if (node == null || node.isNull()) {
            node = YAML.createObjectNode();
        }
        f.object(node, MATCH_KEYS);
        if (node.has("message") && node.has("messageRegex")) {
            throw f.error("messageRegex", "give either 'message' (a glob) or 'messageRegex', not both");
        }
        Pattern message = null;
        if (node.has("message")) {
            message = Glob.compile(f.requiredText(node, "message"));
        } else if (node.has("messageRegex")) {
            message = f.regex(node, "messageRegex");
        }
        Map<String, Pattern> tags = new LinkedHashMap<>();
        if (node.has("tags")) {
            JsonNode t = node.get("tags");
            if (!t.isObject()) {
                throw f.error("tags", "must be a map of tag name to value pattern");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = t.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw f.error("tags." + e.getKey(), "must be a value pattern");
                }
                tags.put(e.getKey(), Glob.compile(e.getValue().asText()));
            }
        }
        return new MatchCriteria(
                Set.copyOf(f.texts(node, "groupIds")),
                Set.copyOf(f.texts(node, "projects")),
                globs(f.texts(node, "fingerprint")),
                Set.copyOf(f.vocabulary(node, "categories", "category", CATEGORIES)),
                Set.copyOf(f.vocabulary(node, "severities", "severity", SEVERITIES)),
                Set.copyOf(f.vocabulary(node, "businessImpacts", "business impact", BUSINESS_IMPACTS)),
                Set.copyOf(f.texts(node, "workflows")),
                globs(f.texts(node, "releases")),
                globs(f.texts(node, "environments")),
                globs(f.texts(node, "exceptionTypes")),
                message,
                tags,
                Set.copyOf(f.texts(node, "signalTypes")));
    }

    private ActionSpec action(JsonNode node, Fields f) {
        f.object(node, ACTION_KEYS);
        String name = f.requiredText(node, "name");
        String strategy = f.requiredText(node, "strategy");
        if (!strategies.contains(strategy)) {
            throw f.error(
                    "strategy", "unknown strategy '" + strategy + "' (known: " + String.join(", ", strategies) + ")");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        JsonNode p = node.get("parameters");
        if (p != null && !p.isNull()) {
            if (!p.isObject()) {
                throw f.error("parameters", "must be a map");
            }
            // nested values (a JSON body written as YAML) are kept as JSON text
            p.properties()
                    .forEach(e -> parameters.put(
                            e.getKey(),
                            e.getValue().isValueNode()
                                    ? e.getValue().asText()
                                    : e.getValue().toString()));
        }
        int maxAttempts = f.integer(node, "maxAttempts", DEFAULT_ATTEMPTS.getOrDefault(strategy, 1));
        if (maxAttempts < 1) {
            throw f.error("maxAttempts", "must be at least 1");
        }
        Duration timeout = f.duration(node, "timeout", Duration.ofSeconds(10));
        if (timeout.isZero()) {
            throw f.error("timeout", "must be positive");
        }
        return new ActionSpec(
                name,
                strategy,
                f.text(node, "target", name),
                parameters,
                maxAttempts,
                backoff(node.get("backoff"), f.nested("backoff")),
                timeout);
    }

    private BackoffPolicy backoff(JsonNode node, Fields f) {
        if (node == null || node.isNull()) {
            return BackoffPolicy.DEFAULT;
        }
        f.object(node, BACKOFF_KEYS);
        BackoffPolicy d = BackoffPolicy.DEFAULT;
        Duration initial = f.duration(node, "initial", d.initial());
        Duration max = f.duration(node, "max", initial.compareTo(d.max()) > 0 ? initial : d.max());
        double multiplier = f.number(node, "multiplier", d.multiplier());
        double jitter = f.number(node, "jitter", d.jitter());
        if (max.compareTo(initial) < 0) {
            throw f.error("max", "must not be shorter than 'initial'");
        }
        if (multiplier < 1) {
            throw f.error("multiplier", "must be at least 1");
        }
        if (jitter < 0 || jitter > 1) {
            throw f.error("jitter", "must be between 0 and 1");
        }
        return new BackoffPolicy(initial, max, multiplier, jitter);
    }

    private Optional<VerificationSpec> verification(JsonNode node, Fields f) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        f.object(node, VERIFICATION_KEYS);
        boolean quiet = node.has("quietFor");
        boolean rate = node.has("rateBelowPerMinute");
        if (quiet == rate) {
            throw f.error("", "give exactly one of 'quietFor' or 'rateBelowPerMinute' (with 'within')");
        }
        if (quiet) {
            Duration quietFor = positive(f, node, "quietFor");
            if (!node.has("within")) {
                return Optional.of(new VerificationSpec.QuietFor(quietFor));
            }
            Duration within = positive(f, node, "within");
            if (within.compareTo(quietFor) < 0) {
                throw f.error("within", "must be at least 'quietFor' (" + quietFor + ")");
            }
            return Optional.of(new VerificationSpec.QuietFor(quietFor, within));
        }
        if (!node.has("within")) {
            throw f.error("within", "required with 'rateBelowPerMinute'");
        }
        double perMinute = f.number(node, "rateBelowPerMinute", 0);
        if (perMinute <= 0) {
            throw f.error("rateBelowPerMinute", "must be positive");
        }
        return Optional.of(new VerificationSpec.RateBelow(perMinute, positive(f, node, "within")));
    }

    private static Duration positive(Fields f, JsonNode node, String key) {
        Duration d = f.duration(node, key, Duration.ZERO);
        if (d.isZero()) {
            throw f.error(key, "must be positive");
        }
        return d;
    }

    private EscalationSpec escalation(JsonNode node, Fields f) {
        if (node == null || node.isNull()) {
            return EscalationSpec.NONE;
        }
        f.object(node, ESCALATION_KEYS);
        List<String> notify = f.texts(node, "notify");
        for (String channel : notify) {
            if (!channels.contains(channel)) {
                throw f.error(
                        "notify", "unknown channel '" + channel + "' (known: " + String.join(", ", channels) + ")");
            }
        }
        return new EscalationSpec(notify, f.text(node, "message", null));
    }

    private static List<Pattern> globs(List<String> values) {
        return values.stream().map(Glob::compile).toList();
    }

    /** Typed reads of one object's fields, with errors that say where. */
    private record Fields(String where, String path) {

        Fields nested(String key) {
            return new Fields(where, path.isEmpty() ? key : path + "." + key);
        }

        RunbookFileException error(String key, String problem) {
            String field = key.isEmpty() ? path : path.isEmpty() ? key : path + "." + key;
            return new RunbookFileException(where + ": " + (field.isEmpty() ? "" : field + ": ") + problem);
        }

        void object(JsonNode node, Set<String> allowed) {
            if (node == null || !node.isObject()) {
                throw error("", "must be a map");
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!allowed.contains(key)) {
                    throw error(key, "unknown field (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
                }
            }
        }

        String requiredText(JsonNode node, String key) {
            String value = text(node, key, null);
            if (value == null || value.isBlank()) {
                throw error(key, "is required");
            }
            return value;
        }

        String text(JsonNode node, String key, String fallback) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isValueNode()) {
                throw error(key, "must be a single value");
            }
            return v.asText();
        }

        /** {@link #texts}, each of which must be one of {@code allowed}. */
        List<String> vocabulary(JsonNode node, String key, String what, List<String> allowed) {
            List<String> values = texts(node, key);
            for (String v : values) {
                if (!allowed.contains(v)) {
                    throw error(key, "unknown " + what + " '" + v + "' (allowed: " + String.join(", ", allowed) + ")");
                }
            }
            return values;
        }

        List<String> texts(JsonNode node, String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (v.isValueNode()) {
                return List.of(v.asText());
            }
            if (!v.isArray()) {
                throw error(key, "must be a value or a list of values");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode item : v) {
                if (!item.isValueNode() || item.isNull()) {
                    throw error(key, "list items must be single values");
                }
                out.add(item.asText());
            }
            return out;
        }

        boolean bool(JsonNode node, String key, boolean fallback) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isBoolean()) {
                throw error(key, "must be true or false");
            }
            return v.booleanValue();
        }

        int integer(JsonNode node, String key, int fallback) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isIntegralNumber()) {
                throw error(key, "must be a whole number");
            }
            return v.intValue();
        }

        double number(JsonNode node, String key, double fallback) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isNumber()) {
                throw error(key, "must be a number");
            }
            return v.doubleValue();
        }

        Duration duration(JsonNode node, String key, Duration fallback) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (v.isIntegralNumber()) {
                if (v.longValue() < 0) {
                    // a negative window would judge an empty stretch and always pass
                    throw error(key, "must not be negative");
                }
                return Duration.ofSeconds(v.longValue());
            }
            Matcher m = DURATION.matcher(v.asText().trim());
            if (!v.isTextual() || !m.matches()) {
                throw error(key, "'" + v.asText() + "' is not a duration (e.g. 500ms, 10s, 5m, 1h)");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }

        Pattern regex(JsonNode node, String key) {
            String value = requiredText(node, key);
            try {
                return Pattern.compile(value, Pattern.DOTALL);
            } catch (PatternSyntaxException e) {
                throw error(key, "invalid regular expression: " + e.getDescription());
            }
        }
    }
}
