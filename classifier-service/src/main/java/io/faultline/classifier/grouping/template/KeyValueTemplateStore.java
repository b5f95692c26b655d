package io.faultline.classifier.grouping.template;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A {@link TemplateStore} on one Kafka Streams {@code KeyValueStore<String, byte[]>}, so that the learned templates
 * are changelogged with the stream task and restored after a restart or a rebalance. Buckets live under {@code b|}
 * keys as {@link TemplateCodec} bytes, aliases under {@code a|} keys as the survivor id in UTF-8.
 */
public final class KeyValueTemplateStore implements TemplateStore {

    private static final String BUCKET = "b|";
    private static final String ALIAS = "a|";

    private final KeyValueStore<String, byte[]> store;

    public KeyValueTemplateStore(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    @Override
    public TemplateBucket bucket(String key) {
        byte[] bytes = store.get(BUCKET + key);
        return bytes == null ? null : TemplateCodec.decode(bytes);
    }

    @Override
    public void putBucket(String key, TemplateBucket bucket) {
        store.put(BUCKET + key, TemplateCodec.encode(bucket));
    }

    @Override
    public String alias(String id) {
        byte[] bytes = store.get(ALIAS + id);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void putAlias(String id, String survivorId) {
        store.put(ALIAS + id, survivorId.getBytes(StandardCharsets.UTF_8));
    }
}
