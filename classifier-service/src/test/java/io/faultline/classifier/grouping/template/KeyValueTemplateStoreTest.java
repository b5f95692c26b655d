package io.faultline.classifier.grouping.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class KeyValueTemplateStoreTest {

    /** The two calls the adapter makes, on a map: what survives a restart is exactly what was put. */
    @SuppressWarnings("unchecked")
    private static KeyValueStore<String, byte[]> mapBacked(Map<String, byte[]> data) {
        return (KeyValueStore<String, byte[]>) Proxy.newProxyInstance(
                KeyValueStore.class.getClassLoader(), new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
                    return switch (method.getName()) {
                        case "get" -> data.get((String) args[0]);
                        case "put" -> data.put((String) args[0], (byte[]) args[1]);
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
    }

    @Test
    void aMinerRestoredFromTheKeyValueStoreKeepsItsIdsAndAliases() throws IOException {
        Map<String, byte[]> changelog = new HashMap<>();
        TemplateMiner before = new TemplateMiner(new KeyValueTemplateStore(mapBacked(changelog)));
        List<String> messages = TemplateMinerTest.sample();
        Map<String, String> ids = new HashMap<>();
        for (String m : messages) ids.put(m, before.templateOf("p", m).id());

        TemplateMiner restored = new TemplateMiner(new KeyValueTemplateStore(mapBacked(new HashMap<>(changelog))));

        assertThat(changelog.keySet()).anyMatch(k -> k.startsWith("b|")).anyMatch(k -> k.startsWith("a|"));
        for (String m : messages) {
            assertThat(restored.currentId(ids.get(m))).as(m).isEqualTo(before.currentId(ids.get(m)));
            assertThat(restored.templateOf("p", m).id()).as(m).isEqualTo(before.currentId(ids.get(m)));
        }
    }
}
