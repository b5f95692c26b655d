package io.faultline.deploy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** JSON 6902 operations (add, replace, remove, test) and JSON merge patches (RFC 7386) on YAML trees. */
final class JsonPatch {

    private JsonPatch() {}

    @SuppressWarnings("unchecked")
    static void apply(Map<String, Object> document, List<Map<String, Object>> operations) {
        for (Map<String, Object> operation : operations) {
            String op = String.valueOf(operation.get("op"));
            String[] steps = String.valueOf(operation.get("path")).substring(1).split("/", -1);
            Object parent = document;
            for (int i = 0; i < steps.length - 1; i++) {
                String step = unescape(steps[i]);
                parent = parent instanceof List<?> list
                        ? list.get(Integer.parseInt(step))
                        : ((Map<?, ?>) parent).get(step);
                if (parent == null) {
                    throw new IllegalArgumentException("path " + operation.get("path") + " does not exist");
                }
            }
            String last = unescape(steps[steps.length - 1]);
            Object value = Tree.copy(operation.get("value"));
            if (op.equals("test")) {
                Object actual = parent instanceof List<?> list
                        ? list.get(Integer.parseInt(last))
                        : ((Map<?, ?>) parent).get(last);
                if (!Objects.equals(actual, value)) {
                    throw new IllegalArgumentException(
                            "test of " + operation.get("path") + " failed: " + actual + " is not " + value);
                }
                continue;
            }
            if (parent instanceof List<?> raw) {
                List<Object> list = (List<Object>) raw;
                int index = last.equals("-") ? list.size() : Integer.parseInt(last);
                switch (op) {
                    case "add" -> list.add(index, value);
                    case "replace" -> list.set(index, value);
                    case "remove" -> list.remove(index);
                    default -> throw new IllegalArgumentException("unsupported op " + op);
                }
            } else {
                Map<String, Object> map = (Map<String, Object>) parent;
                if (!op.equals("add") && !map.containsKey(last)) {
                    throw new IllegalArgumentException("path " + operation.get("path") + " does not exist");
                }
                switch (op) {
                    case "add", "replace" -> map.put(last, value);
                    case "remove" -> map.remove(last);
                    default -> throw new IllegalArgumentException("unsupported op " + op);
                }
            }
        }
    }

    /** RFC 7386: maps merge key by key, null deletes, anything else (lists too) replaces. */
    @SuppressWarnings("unchecked")
    static void merge(Map<String, Object> target, Map<String, Object> patch) {
        for (Map.Entry<String, Object> entry : patch.entrySet()) {
            Object value = entry.getValue();
            if (value == null) {
                target.remove(entry.getKey());
            } else if (value instanceof Map<?, ?> patchMap
                    && target.get(entry.getKey()) instanceof Map<?, ?> targetMap) {
                merge((Map<String, Object>) targetMap, (Map<String, Object>) patchMap);
            } else {
                target.put(entry.getKey(), Tree.copy(value));
            }
        }
    }

    private static String unescape(String step) {
        return step.replace("~1", "/").replace("~0", "~");
    }
}
