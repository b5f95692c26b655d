package io.faultline.classifier.streams;

/**
 * A raw event's bytes, and whether they already sit on the partition of their project, where the
 * analyzer needs them ({@link ProjectPartitioner}). Ingest keys raw events by project, so Kafka's
 * default partitioner puts almost every one there; only the others take the repartition hop.
 * Lives only between two processors of one sub-topology, so it is never serialized.
 */
record PlacedEvent(byte[] bytes, boolean onProjectPartition) {}
