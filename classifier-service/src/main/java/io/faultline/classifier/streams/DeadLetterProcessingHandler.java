package io.faultline.classifier.streams;

import java.util.Map;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;
import org.jboss.logging.Logger;

/**
 * A processor that throws on a record ({@code processing.exception.handler}, KIP-1033): the record
 * goes to its topic's dead-letter topic with the processor and the exception as reason, and the
 * stream goes on. Kafka Streams' default stops the stream thread, and the client with it, on the
 * first such record, and again on the same record after every restart. Faults that are not the
 * record's (a state store, the brokers, task migration) still stop it, and so does a record that
 * could not be dead-lettered.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = Logger.getLogger(DeadLetterProcessingHandler.class);

    private DeadLetterProducer deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetterProducer.of(configs);
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (!recordsFault(exception)) {
            LOG.errorf(
                    exception,
                    "processor %s failed (task %s); the stream stops",
                    context.processorNodeId(),
                    context.taskId());
            return ProcessingHandlerResponse.FAIL;
        }
        String reason = "process:" + context.processorNodeId() + ": " + exception;
        return deadLetters.deadLetter(context, reason)
                ? ProcessingHandlerResponse.CONTINUE
                : ProcessingHandlerResponse.FAIL;
    }

    /**
     * Whether the record, not the stream's machinery, is at fault. Kafka Streams' own exceptions are
     * the machinery's, except a record it refused to build ("Malformed Record": a negative time).
     */
    static boolean recordsFault(Exception e) {
        if (e instanceof StreamsException) {
            return e.getCause() instanceof IllegalArgumentException;
        }
        return !(e instanceof RetriableException
                || e instanceof AuthenticationException
                || e instanceof AuthorizationException);
    }
}
