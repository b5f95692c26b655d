package io.faultline.resolver.runbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a runbook file (YAML). Strict on purpose: an unknown key, a wrong type or an unknown
 * strategy is an error naming the runbook and the field, because a typo that silently disables
 * a criterion would make a runbook act on errors it was never meant for.
 */
public final class RunbookParser {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
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
    private static final Set<String> ACTION_KEYS =
            Set.of("name", "strategy", "target", "parameters", "maxAttempts", "backoff", "timeout");
    private static final Set<String> BACKOFF_KEYS = Set.of("initial", "max", "multiplier", "jitter");
    private static final Set<String> VERIFICATION_KEYS = Set.of("quietFor", "rateBelowPerMinute", "within");
    private static final Set<String> ESCALATION_KEYS = Set.of("notify", "message");

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
            RunbookFields f = new RunbookFields(source + ": runbook " + label, "");
            Runbook runbook = runbook(node, f);
            if (!ids.add(runbook.id())) {
                throw f.error("id", "duplicate runbook id '" + runbook.id() + "'");
            }
            runbooks.add(runbook);
        }
        return List.copyOf(runbooks);
    }

    private Runbook runbook(JsonNode node, RunbookFields f) {
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
                MatchCriteriaReader.read(node.get("match"), f.nested("match")),
                actions,
                verification(node.get("verification"), f.nested("verification")),
                escalation(node.get("escalation"), f.nested("escalation")));
    }

    private ActionSpec action(JsonNode node, RunbookFields f) {
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

    private BackoffPolicy backoff(JsonNode node, RunbookFields f) {
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

    private Optional<VerificationSpec> verification(JsonNode node, RunbookFields f) {
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

    private static Duration positive(RunbookFields f, JsonNode node, String key) {
        Duration d = f.duration(node, key, Duration.ZERO);
        if (d.isZero()) {
            throw f.error(key, "must be positive");
        }
        return d;
    }

    private EscalationSpec escalation(JsonNode node, RunbookFields f) {
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
}
