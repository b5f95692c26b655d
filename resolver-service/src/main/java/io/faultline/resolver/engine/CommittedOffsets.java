package io.faultline.resolver.engine;

/**
 * Asks the consumer group that read a trigger whether it committed past its record: at restart,
 * a claim whose `committed` step never reached the disk may have been committed all the same
 * (the process died between the commit and the fsync), and then no one is redelivered it.
 */
public interface CommittedOffsets {

    /**
     * Whether the group's committed offset of the record's partition is past the record.
     *
     * @throws RuntimeException when Kafka cannot be asked
     */
    boolean committedPast(TriggerRecord record);

    /** Nothing to ask: every bare claim is dropped, as if its commit never went through. */
    CommittedOffsets NONE = record -> {
        throw new IllegalStateException("no Kafka to ask");
    };
}
