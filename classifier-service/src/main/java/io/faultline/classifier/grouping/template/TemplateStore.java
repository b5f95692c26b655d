package io.faultline.classifier.grouping.template;

/**
 * Where the miner keeps what it learned. Two key spaces: buckets (by {@link TemplateMiner#bucketKey}) and aliases
 * (id of a merged-away cluster to the id that absorbed it). Backed by a map in tests and the CLI, by a changelogged
 * Kafka Streams {@code KeyValueStore<String, byte[]>} in the service (serialize with {@link TemplateCodec}).
 */
public interface TemplateStore {

    /** @return the bucket, or null when none was stored under {@code key} */
    TemplateBucket bucket(String key);

    void putBucket(String key, TemplateBucket bucket);

    /** @return the id that absorbed {@code id}, or null when {@code id} was never merged away */
    String alias(String id);

    void putAlias(String id, String survivorId);
}
