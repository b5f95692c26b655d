package io.faultline.classifier.grouping.template;

import io.faultline.classifier.grouping.MessageTemplates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public final class TemplateMiner implements MessageTemplates {

    private static final String W = MessageScanner.WILDCARD;

    private final MessageScanner scanner = new MessageScanner();
    private final TemplateStore store;
    private final Map<String, TemplateBucket> buckets = new HashMap<>();
    private final Map<String, TemplateCluster> bySignature = new HashMap<>();
    private final Map<String, TemplateCluster> mergedInto = new HashMap<>();
    double threshold = 0.5;

    public TemplateMiner(TemplateStore store) {
        this.store = store;
    }

    public TemplateMiner() {
        this(new InMemoryTemplateStore());
    }

    @Override
    public Template templateOf(String scope, String message) {
        TemplateCluster c = clusterOf(scope, message);
        return new Template(c.id, c.text());
    }

    TemplateCluster clusterOf(String scope, String message) {
        List<String> tokens = scanner.scan(message);
        String signature = scope + '\u001f' + String.join(" ", tokens);
        TemplateCluster hit = bySignature.get(signature);
        if (hit != null) {
            hit = survivor(hit);
            hit.size++;
            return hit;
        }
        String key = scope + '\u001f' + tokens.size();
        TemplateBucket bucket = buckets.computeIfAbsent(key, k -> {
            TemplateBucket stored = store.bucket(k);
            return stored != null ? stored : new TemplateBucket();
        });
        String[] t = tokens.toArray(new String[0]);
        TemplateCluster joined = null;
        for (TemplateCluster c : bucket.clusters) {
            if (accepts(c.tokens, t)) {
                joined = c;
                break;
            }
        }
        if (joined != null) {
            joined.size++;
        } else {
            joined = new TemplateCluster(idOf(signature), t, 1);
            bucket.clusters.add(joined);
            joined = mergeOnEvidence(bucket, joined);
        }
        store.putBucket(key, bucket);
        bySignature.put(signature, joined);
        return joined;
    }

    /** A template accepts a message when every concrete template token is present at its position. */
    static boolean accepts(String[] template, String[] t) {
        for (int i = 0; i < t.length; i++) {
            String a = template[i];
            if (a != W && !a.equals(W) && !a.equals(t[i])) return false;
        }
        return true;
    }

    /**
     * Clusters that are identical except at one position are folded into one, with that position a variable, once
     * the evidence says it varies: immediately when one of them already holds a masked value there, otherwise when
     * at least {@link #MIN_WORD_VALUES} distinct plain words were seen there. Two or three distinct words are more
     * often an enumeration (started/stopped, bytes/values) than a parameter.
     */
    private TemplateCluster mergeOnEvidence(TemplateBucket bucket, TemplateCluster fresh) {
        TemplateCluster current = fresh;
        boolean changed = true;
        while (changed) {
            changed = false;
            int n = current.tokens.length;
            // position 0 is never merged: the leading word names the event (creating/removing, boot/wait)
            for (int p = 1; p < n && !changed; p++) {
                List<TemplateCluster> group = new ArrayList<>();
                java.util.Set<String> values = new java.util.HashSet<>();
                boolean wildcard = false;
                boolean mergeable = true;
                for (TemplateCluster c : bucket.clusters) {
                    if (c == current || equalExcept(c.tokens, current.tokens, p)) {
                        group.add(c);
                        String v = c.tokens[p];
                        values.add(v);
                        if (v.equals(W)) wildcard = true;
                        else if (!isVariableWord(v)) mergeable = false;
                    }
                }
                if (!mergeable || group.size() < 2 || (!wildcard && values.size() < MIN_WORD_VALUES)) continue;
                TemplateCluster survivor = group.get(0);
                survivor.tokens[p] = W;
                for (TemplateCluster other : group) {
                    if (other == survivor) continue;
                    survivor.size += other.size;
                    bucket.clusters.remove(other);
                    mergedInto.put(other.id, survivor);
                    store.putAlias(other.id, survivor.id);
                }
                current = survivor;
                changed = true;
            }
        }
        return current;
    }

    static final int MIN_WORD_VALUES = 3;

    private static boolean equalExcept(String[] a, String[] b, int p) {
        for (int i = 0; i < a.length; i++) {
            if (i != p && !a[i].equals(b[i])) return false;
        }
        return true;
    }

    /** Words that may turn out to be parameters (user names, hosts): not states, constants or settings. */
    static boolean isVariableWord(String token) {
        if (token.indexOf('=') >= 0) return false;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (Character.isLetter(c)) return Character.isLowerCase(c);
        }
        return true;
    }

    private static boolean covers(String[] general, String[] specific) {
        for (int i = 0; i < general.length; i++) {
            if (!general[i].equals(W) && !general[i].equals(specific[i])) return false;
        }
        return true;
    }

    TemplateCluster survivor(TemplateCluster c) {
        TemplateCluster s = c;
        TemplateCluster next;
        while ((next = mergedInto.get(s.id)) != null) s = next;
        return s;
    }

    private static String idOf(String signature) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < signature.length(); i++) {
            h ^= signature.charAt(i);
            h *= 0x100000001b3L;
        }
        return String.format("%016x", h);
    }
}
