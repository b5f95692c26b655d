package io.faultline.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Reads YAML (one or more documents) into plain maps and lists, as Kubernetes tools see it. */
final class YamlDocuments {

    private YamlDocuments() {}

    static List<Map<String, Object>> read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every non-empty document; a document that is not a mapping is an error. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parse(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(text)) {
            if (document == null) {
                continue;
            }
            if (!(document instanceof Map)) {
                throw new IllegalArgumentException("a YAML document is not a mapping: " + document);
            }
            documents.add((Map<String, Object>) document);
        }
        return documents;
    }

    /** One document that may also be a list (a JSON 6902 patch) or a scalar. */
    static Object parseAny(String text) {
        return new Yaml(new LoaderOptions()).load(text);
    }

    static Map<String, Object> readOne(Path file) {
        List<Map<String, Object>> documents = read(file);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(file + " holds " + documents.size() + " documents, expected one");
        }
        return documents.get(0);
    }
}
