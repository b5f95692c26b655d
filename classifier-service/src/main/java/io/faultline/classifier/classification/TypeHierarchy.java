package io.faultline.classifier.classification;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Supertypes of exception types known only by name. Events carry type names, not classes, so the
 * rule file ships the parents of the common exceptions; a rule on a supertype then matches its
 * subtypes. Types absent from the table have only themselves as ancestry.
 */
public final class TypeHierarchy {

    private final Map<String, List<String>> parents;
    private final Map<String, Set<String>> selfAndAncestors = new ConcurrentHashMap<>();

    TypeHierarchy(Map<String, List<String>> parents) {
        this.parents = Map.copyOf(parents);
    }

    /** The type itself followed by all its known supertypes, nearest first. */
    public Set<String> selfAndAncestors(String type) {
        return selfAndAncestors.computeIfAbsent(type, this::walk);
    }

    public boolean isA(String type, String supertype) {
        return selfAndAncestors(type).contains(supertype);
    }

    private Set<String> walk(String type) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(type);
        while (!todo.isEmpty()) {
            String next = todo.poll();
            if (seen.add(next)) {
                todo.addAll(parents.getOrDefault(next, List.of()));
            }
        }
        return Collections.unmodifiableSet(seen);
    }

    /** The first type that is its own ancestor, or null; a cycle is a typo in the table. */
    String findCycle() {
        for (String type : parents.keySet()) {
            for (String parent : parents.get(type)) {
                if (selfAndAncestors(parent).contains(type)) {
                    return type;
                }
            }
        }
        return null;
    }
}
