package io.faultline.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Navigation and deep copies of the map-and-list trees that YAML documents parse into. */
final class Tree {

    private Tree() {}

    /** The value at a path of map keys and list indexes, if every step exists. */
    static Optional<Object> at(Object root, Object... path) {
        Object node = root;
        for (Object step : path) {
            if (step instanceof String key && node instanceof Map<?, ?> map) {
                node = map.get(key);
            } else if (step instanceof Integer index && node instanceof List<?> list && index < list.size()) {
                node = list.get(index);
            } else {
                return Optional.empty();
            }
            if (node == null) {
                return Optional.empty();
            }
        }
        return Optional.of(node);
    }

    static String text(Object root, Object... path) {
        return at(root, path).map(String::valueOf).orElse(null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object root, Object... path) {
        return (Map<String, Object>)
                at(root, path).filter(Map.class::isInstance).orElse(Map.of());
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object root, Object... path) {
        return (List<Object>) at(root, path).filter(List.class::isInstance).orElse(List.of());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object root, Object... path) {
        List<Map<String, Object>> maps = new ArrayList<>();
        for (Object element : list(root, path)) {
            if (element instanceof Map) {
                maps.add((Map<String, Object>) element);
            }
        }
        return maps;
    }

    /** A deep, mutable copy, so that transformations never touch a shared parse result. */
    @SuppressWarnings("unchecked")
    static <T> T copy(T node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), copy(v)));
            return (T) copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(copy(v)));
            return (T) copy;
        }
        return node;
    }
}
