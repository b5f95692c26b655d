package io.faultline.resolver.runbook;

import io.faultline.schemas.rulefile.RuleFault;
import io.faultline.schemas.rulefile.RuleNode;
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
        RuleNode root = RuleNode.read(yaml, at(source));
        if (root.isAbsent()) {
            return List.of();
        }
        if (!root.isMapping() || !root.has("runbooks")) {
            throw root.fault("expected a top-level 'runbooks:' list");
        }
        List<String> unknown = new ArrayList<>(root.fields().keySet());
        unknown.remove("runbooks");
        if (!unknown.isEmpty()) {
            // a key of another format (version, defaults...) would otherwise be ignored in silence
            throw root.fault("unknown top-level key(s) " + unknown + "; a runbook file holds only 'runbooks:'");
        }
        RuleNode list = root.get("runbooks");
        if (!list.isAbsent() && !list.isList()) {
            throw root.fault("'runbooks' must be a list");
        }
        List<Runbook> runbooks = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<RuleNode> items = list.items();
        for (int i = 0; i < items.size(); i++) {
            RuleNode item = items.get(i);
            String label = item.get("id").isValue() ? "'" + item.get("id").text() + "'" : "#" + (i + 1);
            RuleNode node = item.within(at(source + ": runbook " + label));
            Runbook runbook = runbook(node);
            if (!ids.add(runbook.id())) {
                throw node.get("id").fault("duplicate runbook id '" + runbook.id() + "'");
            }
            runbooks.add(runbook);
        }
        return List.copyOf(runbooks);
    }

    /** Faults worded as {@code where: field: problem}. */
    private static RuleFault.Reporter at(String where) {
        return f -> new RunbookFileException(
                where + ": " + (f.field().isEmpty() ? "" : f.field() + ": ") + f.problem(), f.cause());
    }

    private Runbook runbook(RuleNode node) {
        node.mapping(RUNBOOK_KEYS);
        String id = node.get("id").requiredText();
        RuleNode actionsNode = node.get("actions");
        if (!actionsNode.isList() || actionsNode.items().isEmpty()) {
            throw actionsNode.fault("at least one action is required");
        }
        List<ActionSpec> actions = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (RuleNode actionNode : actionsNode.items()) {
            ActionSpec action = action(actionNode);
            if (!names.add(action.name())) {
                throw actionNode.get("name").fault("duplicate action name '" + action.name() + "'");
            }
            actions.add(action);
        }
        int maxPerHour = node.get("maxActionsPerHour").integer(10);
        if (maxPerHour < 1) {
            throw node.get("maxActionsPerHour").fault("must be at least 1");
        }
        return new Runbook(
                id,
                node.get("description").text(""),
                node.get("enabled").bool(true),
                node.get("dryRun").bool(false),
                node.get("requireApproval").bool(false),
                node.get("window").duration(Duration.ofMinutes(10)),
                maxPerHour,
                MatchCriteriaReader.read(node.get("match")),
                actions,
                verification(node.get("verification")),
                escalation(node.get("escalation")));
    }

    private ActionSpec action(RuleNode node) {
        node.mapping(ACTION_KEYS);
        String name = node.get("name").requiredText();
        String strategy = node.get("strategy").requiredText();
        if (!strategies.contains(strategy)) {
            throw node.get("strategy")
                    .fault("unknown strategy '" + strategy + "' (known: " + String.join(", ", strategies) + ")");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        // nested values (a JSON body written as YAML) are kept as JSON text
        node.get("parameters")
                .fields()
                .forEach((key, value) -> parameters.put(
                        key, value.isValue() ? value.text() : value.json().toString()));
        RuleNode attempts = node.get("maxAttempts");
        int maxAttempts = attempts.integer(DEFAULT_ATTEMPTS.getOrDefault(strategy, 1));
        if (maxAttempts < 1) {
            throw attempts.fault("must be at least 1");
        }
        Duration timeout = node.get("timeout").duration(Duration.ofSeconds(10));
        if (timeout.isZero()) {
            throw node.get("timeout").fault("must be positive");
        }
        return new ActionSpec(
                name,
                strategy,
                node.get("target").text(name),
                parameters,
                maxAttempts,
                backoff(node.get("backoff")),
                timeout);
    }

    private BackoffPolicy backoff(RuleNode node) {
        if (node.isAbsent()) {
            return BackoffPolicy.DEFAULT;
        }
        node.mapping(BACKOFF_KEYS);
        BackoffPolicy d = BackoffPolicy.DEFAULT;
        Duration initial = node.get("initial").duration(d.initial());
        Duration max = node.get("max").duration(initial.compareTo(d.max()) > 0 ? initial : d.max());
        double multiplier = node.get("multiplier").number(d.multiplier());
        double jitter = node.get("jitter").number(d.jitter());
        if (max.compareTo(initial) < 0) {
            throw node.get("max").fault("must not be shorter than 'initial'");
        }
        if (multiplier < 1) {
            throw node.get("multiplier").fault("must be at least 1");
        }
        if (jitter < 0 || jitter > 1) {
            throw node.get("jitter").fault("must be between 0 and 1");
        }
        return new BackoffPolicy(initial, max, multiplier, jitter);
    }

    private Optional<VerificationSpec> verification(RuleNode node) {
        if (node.isAbsent()) {
            return Optional.empty();
        }
        node.mapping(VERIFICATION_KEYS);
        boolean quiet = node.has("quietFor");
        boolean rate = node.has("rateBelowPerMinute");
        if (quiet == rate) {
            throw node.fault("give exactly one of 'quietFor' or 'rateBelowPerMinute' (with 'within')");
        }
        if (quiet) {
            Duration quietFor = positive(node.get("quietFor"));
            if (!node.has("within")) {
                return Optional.of(new VerificationSpec.QuietFor(quietFor));
            }
            Duration within = positive(node.get("within"));
            if (within.compareTo(quietFor) < 0) {
                throw node.get("within").fault("must be at least 'quietFor' (" + quietFor + ")");
            }
            return Optional.of(new VerificationSpec.QuietFor(quietFor, within));
        }
        if (!node.has("within")) {
            throw node.get("within").fault("required with 'rateBelowPerMinute'");
        }
        double perMinute = node.get("rateBelowPerMinute").number(0);
        if (perMinute <= 0) {
            throw node.get("rateBelowPerMinute").fault("must be positive");
        }
        return Optional.of(new VerificationSpec.RateBelow(perMinute, positive(node.get("within"))));
    }

    private static Duration positive(RuleNode node) {
        Duration d = node.duration(Duration.ZERO);
        if (d.isZero()) {
            throw node.fault("must be positive");
        }
        return d;
    }

    private EscalationSpec escalation(RuleNode node) {
        if (node.isAbsent()) {
            return EscalationSpec.NONE;
        }
        node.mapping(ESCALATION_KEYS);
        List<String> notify = node.get("notify").texts();
        for (String channel : notify) {
            if (!channels.contains(channel)) {
                throw node.get("notify")
                        .fault("unknown channel '" + channel + "' (known: " + String.join(", ", channels) + ")");
            }
        }
        return new EscalationSpec(notify, node.get("message").text(null));
    }
}
