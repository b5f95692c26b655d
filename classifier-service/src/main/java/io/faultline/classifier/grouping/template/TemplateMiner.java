package io.faultline.classifier.grouping.template;

import io.faultline.classifier.grouping.MessageTemplates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Online template miner. Each message is masked by {@link MessageScanner}, then:
 *
 * <ol>
 *   <li>a masked sequence seen before goes straight to its cluster (hash lookup, no allocation besides the result);
 *   <li>otherwise the first cluster of its bucket (same scope, same token count) whose every literal token is present
 *       at the same position accepts it;
 *   <li>otherwise it founds a new cluster, and clusters that now differ at exactly one position are merged once the
 *       evidence says that position varies (see {@link #mergeOnEvidence}).
 * </ol>
 *
 * <p>Ids: a cluster's id is a hash of its scope and founding masked sequence, and never changes while its template
 * text is refined. When clusters merge, the first-founded one survives and the others become aliases of it, stored
 * in the {@link TemplateStore}; {@link #currentId} follows aliases, so a group key handed out before a merge still
 * resolves to the group the message belongs to now.
 *
 * <p>Not thread-safe: one miner per stream task (Kafka Streams partitions by scope), as a store has one writer.
 */
public final class TemplateMiner implements MessageTemplates {

    /**
     * The miner's tunable constants. There is one configuration for every scope and source ({@link #DEFAULT});
     * the record exists so that {@link GroupingEval} can choose them on some benchmark sets and score them on others.
     *
     * @param minWordValues distinct lower-case words needed at one position before it is taken for a parameter
     * @param minNameValues distinct capitalised words or {@code key=word} settings needed at one position: those are
     *     usually states
     */
    public record Settings(int minWordValues, int minNameValues) {

        public static final Settings DEFAULT = new Settings(3, 8);

        /** The small grid {@link GroupingEval} chooses from on the training sets of each split. */
        public static List<Settings> grid() {
            List<Settings> grid = new ArrayList<>();
            for (int words : new int[] {2, 3, 4, 5}) {
                for (int names : new int[] {4, 8, 12}) grid.add(new Settings(words, names));
            }
            return grid;
        }
    }

    private static final String W = MessageScanner.WILDCARD;
    private static final char SEPARATOR = '\u001f';

    private final MessageScanner scanner = new MessageScanner();
    private final ScannedMessage scanned = new ScannedMessage();
    private final TemplateStore store;
    private final Settings settings;
    private final Map<String, TemplateBucket> buckets = new HashMap<>();
    private final Map<String, SignatureIndex> signatures = new HashMap<>();

    /**
     * Templates of a scope that became variable at their leading token. Once {@link #LEADING_FIELD_MERGES} have, the
     * stream names its sender first (a host, a component) and two templates that differ only there merge at once:
     * a rare event seen from two hosts cannot wait for a third. Relearned after a restart, not persisted.
     */
    private final Map<String, Integer> leadingMerges = new HashMap<>();

    static final int LEADING_FIELD_MERGES = 3;

    /** The scope that has just learned its leading field, for {@link #clusterOf} to merge what came before. */
    private String learnedLeadingField;

    public TemplateMiner(TemplateStore store) {
        this(store, Settings.DEFAULT);
    }

    public TemplateMiner(TemplateStore store, Settings settings) {
        this.store = store;
        this.settings = settings;
    }

    public TemplateMiner() {
        this(new InMemoryTemplateStore());
    }

    @Override
    public Template templateOf(String scope, String message) {
        TemplateCluster c = clusterOf(scope, message);
        return new Template(c.id, c.text());
    }

    /** The id that {@code id} (a group key handed out earlier) is known by now: itself, or the survivor of merges. */
    public String currentId(String id) {
        String current = id;
        String next;
        while ((next = store.alias(current)) != null) current = next;
        return current;
    }

    TemplateCluster clusterOf(String scope, String message) {
        scanner.scan(message == null ? "" : message, scanned);
        long hash = scanned.signatureHash();
        SignatureIndex index = signatures.computeIfAbsent(scope, s -> new SignatureIndex());
        TemplateCluster seen = index.get(hash, scanned);
        if (seen != null) {
            TemplateCluster c = seen.survivor();
            c.size++;
            return c;
        }
        String[] tokens = scanned.tokens();
        String key = scope + SEPARATOR + tokens.length;
        TemplateBucket bucket = buckets.computeIfAbsent(key, this::loadBucket);
        TemplateCluster joined = null;
        for (TemplateCluster c : bucket.clusters) {
            if (accepts(c.tokens, tokens)) {
                joined = c;
                break;
            }
        }
        if (joined != null) {
            joined.size++;
        } else {
            joined = new TemplateCluster(idOf(scope, tokens), tokens.clone(), 1);
            bucket.clusters.add(joined);
            joined = mergeOnEvidence(scope, bucket, joined);
            store.putBucket(key, bucket);
            if (learnedLeadingField != null) {
                learnedLeadingField = null;
                mergeLeadingField(scope);
                joined = joined.survivor();
            }
        }
        // sizes are advisory: the bucket is written when its templates change, not on every message
        index.put(hash, tokens, joined);
        return joined;
    }

    private TemplateBucket loadBucket(String key) {
        TemplateBucket stored = store.bucket(key);
        return stored != null ? stored : new TemplateBucket();
    }

    /**
     * A template accepts a message when every literal template token is present at its position. A template that is
     * mostly variable ("<*>", "<*> done") says too little to take words where it holds values: there it takes only
     * masked values.
     */
    static boolean accepts(String[] template, String[] tokens) {
        for (int i = 0; i < tokens.length; i++) {
            String a = template[i];
            if (!a.equals(W) && !a.equals(tokens[i])) return false;
        }
        if (mostlyLiteral(template, -1, false)) return true;
        for (int i = 0; i < tokens.length; i++) {
            if (template[i].equals(W) && !tokens[i].equals(W)) return false;
        }
        return true;
    }

    /**
     * Folds clusters that are identical except at one position into one, with that position a variable, once the
     * evidence says it varies: at once when one of them already holds a masked value there and the others hold
     * lower-case words; otherwise when at least {@link Settings#minWordValues} distinct lower-case words, or
     * {@link Settings#minNameValues} distinct capitalised words or {@code key=word} settings, were seen there. Few distinct
     * words are more often an enumeration (started/stopped, bytes/values, state=RUNNING/FAILED) than a parameter, and
     * capitalised words and settings are more often states than names. No merge may leave half or more of a template's
     * tokens free variables ({@link #mostlyLiteral}), which keeps a leading word that names a short event (boot/halt (command
     * <*>)) apart, while a leading host before a longer text merges like any other value. Once a scope has merged
     * {@link #LEADING_FIELD_MERGES} templates at their leading token, it is taken to name its sender first: templates
     * that differ only there merge at once, and the leading token counts as a variable.
     */
    private TemplateCluster mergeOnEvidence(String scope, TemplateBucket bucket, TemplateCluster fresh) {
        TemplateCluster current = fresh;
        boolean leadingField = leadingMerges.getOrDefault(scope, 0) >= LEADING_FIELD_MERGES;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int p = 0; p < current.tokens.length && !changed; p++) {
                List<TemplateCluster> group = new ArrayList<>();
                Set<String> values = new HashSet<>();
                boolean wildcard = false;
                boolean nameLike = false;
                for (TemplateCluster c : bucket.clusters) {
                    if (c == current || equalExcept(c.tokens, current.tokens, p)) {
                        group.add(c);
                        String v = c.tokens[p];
                        values.add(v);
                        if (v.equals(W)) wildcard = true;
                        else if (!isVariableWord(v)) nameLike = true;
                    }
                }
                boolean evidence = nameLike
                        ? values.size() >= settings.minNameValues()
                        : group.size() >= 2
                                && (wildcard || values.size() >= settings.minWordValues() || (p == 0 && leadingField));
                // a learned sender field is a variable by position, however short the text behind it
                if (!evidence || !(p == 0 && leadingField || mostlyLiteral(current.tokens, p, leadingField))) continue;
                TemplateCluster survivor = group.get(0);
                survivor.makeVariable(p);
                for (TemplateCluster other : group) {
                    if (other == survivor) continue;
                    survivor.size += other.size;
                    bucket.clusters.remove(other);
                    other.mergedInto = survivor;
                    store.putAlias(other.id, survivor.id);
                }
                if (p == 0 && leadingMerges.merge(scope, 1, Integer::sum) == LEADING_FIELD_MERGES) {
                    learnedLeadingField = scope;
                }
                current = survivor;
                changed = true;
            }
        }
        return current;
    }

    /**
     * Once a scope turns out to name its sender first, the templates founded before that differ only in the sender
     * are merged too; otherwise a template whose every sender came early would stay split by sender for good.
     */
    private void mergeLeadingField(String scope) {
        String prefix = scope + SEPARATOR;
        for (Map.Entry<String, TemplateBucket> e : new ArrayList<>(buckets.entrySet())) {
            if (!e.getKey().startsWith(prefix)) continue;
            TemplateBucket bucket = e.getValue();
            boolean changed = false;
            for (TemplateCluster c : new ArrayList<>(bucket.clusters)) {
                if (c.mergedInto != null || !bucket.clusters.contains(c)) continue;
                int before = bucket.clusters.size();
                mergeOnEvidence(scope, bucket, c);
                changed |= bucket.clusters.size() != before;
            }
            if (changed) store.putBucket(e.getKey(), bucket);
        }
    }

    /**
     * A template is mostly the text its messages share: a merge that would leave half or more of its tokens free
     * variables is taken for distinct events that merely share a shape ("onStart <*>" and "onStop <*>", "boot (command
     * <*>" and "halt (command <*>"). A value announced by a label ({@code status: 200}) counts with its label, as
     * {@code status=200} does, so a host before a labelled record still merges.
     *
     * @param p the position that would become variable, or -1
     * @param leadingField whether the scope names its sender first, so the leading token is a value whatever it is
     */
    static boolean mostlyLiteral(String[] tokens, int p, boolean leadingField) {
        int free = 0;
        for (int i = 0; i < tokens.length; i++) {
            boolean variable = i == p || tokens[i].equals(W) || (i == 0 && leadingField);
            if (variable && (i == 0 || !isLabel(tokens[i - 1]))) free++;
        }
        return free * 2 < tokens.length;
    }

    private static boolean isLabel(String token) {
        if (token.length() < 2 || token.equals(W)) return false;
        char last = token.charAt(token.length() - 1);
        return last == ':' || last == '=';
    }

    private static boolean equalExcept(String[] a, String[] b, int p) {
        for (int i = 0; i < a.length; i++) {
            if (i != p && !a[i].equals(b[i])) return false;
        }
        return true;
    }

    /** Words that are readily parameters (user names, hosts), as opposed to states, verbs and settings. */
    static boolean isVariableWord(String token) {
        if (token.indexOf('=') >= 0) return false;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (Character.isLetter(c)) return Character.isLowerCase(c);
        }
        return true;
    }

    /** Deterministic, so that replaying a stream from scratch hands out the same ids. */
    private static String idOf(String scope, String[] tokens) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, scope);
        for (String t : tokens) {
            h = fnv((h ^ SEPARATOR) * 0x100000001b3L, t);
        }
        return String.format("%016x", h);
    }

    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }
}
