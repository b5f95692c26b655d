package io.faultline.classifier.streams;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.jboss.logging.Logger;

/**
 * A record the stream could not write ({@code production.exception.handler}).
 *
 * <p>One that could not be serialized (a classified record too large for the topic: {@link
 * ClassifiedErrorSerializer}) was never sent, so the transaction is intact: the record being
 * processed goes to its topic's dead-letter topic with the reason, and the stream goes on.
 *
 * <p>One the producer or the broker refused is different under exactly-once: the refusal puts the
 * producer's transaction in an abortable state, the commit fails and everything since the last one
 * is processed again, whatever this handler answers; answering CONTINUE would only have hidden the
 * loss under at-least-once. So the refused record is dead-lettered (the bytes as they were to be
 * written, to the dead-letter topic of the topic they were meant for or carried by) and, under
 * exactly-once, the answer is FAIL. The topology keeps such refusals from happening: times a sender
 * gave are bounded ({@link EventTimes}, {@link ReceivedTimeExtractor}), classified records and dead
 * letters are sized to fit ({@link DeadLetters#MAX_VALUE_BYTES}).
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    private static final Logger LOG = Logger.getLogger(DeadLetterProductionHandler.class);

    private DeadLetterProducer deadLetters;
    private boolean exactlyOnce;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetterProducer.of(configs);
        Object guarantee = configs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        exactlyOnce = guarantee != null && !StreamsConfig.AT_LEAST_ONCE.equals(guarantee.toString());
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandlerResponse handleSerializationException(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception exception,
            SerializationExceptionOrigin origin) {
        String reason = "write to " + record.topic() + ": " + exception.getMessage();
        return deadLetters.deadLetter(context, reason)
                ? ProductionExceptionHandlerResponse.CONTINUE
                : ProductionExceptionHandlerResponse.FAIL;
    }

    @Override
    public ProductionExceptionHandlerResponse handle(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            // the brokers, not the record: the task redoes its work since the last commit
            return ProductionExceptionHandlerResponse.RETRY;
        }
        if (!refusedForItself(exception)) {
            // not this record's fault (a neighbour in a refused batch, the brokers): it is sent again
            // when the task's work since the last commit is redone
            LOG.errorf(exception, "a record for %s could not be written; the stream stops", record.topic());
            return ProductionExceptionHandlerResponse.FAIL;
        }
        String reason = "write to " + record.topic() + " refused: " + exception.getMessage() + " (timestamp "
                + record.timestamp() + ")";
        boolean kept = deadLetters.deadLetter(record.topic(), record.key(), record.value(), record.headers(), reason);
        return kept && !exactlyOnce
                ? ProductionExceptionHandlerResponse.CONTINUE
                : ProductionExceptionHandlerResponse.FAIL;
    }

    /**
     * A refusal of this very record: its time out of the topic's range (the broker answers {@link
     * InvalidRecordException}, the producer {@link InvalidTimestampException}) or its size. The
     * other records of a batch the broker refused get a plain {@code KafkaException}.
     */
    static boolean refusedForItself(Exception e) {
        return e instanceof InvalidRecordException
                || e instanceof InvalidTimestampException
                || e instanceof RecordTooLargeException;
    }
}
