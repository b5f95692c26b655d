package io.faultline.resolver.engine;

/** Where a trigger was read from: the Kafka record a claim's commit is about. */
public record TriggerRecord(String topic, int partition, long offset) {}
