package io.faultline.classifier.streams;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * A record whose key or value Kafka Streams cannot deserialize goes to its topic's dead-letter topic,
 * bytes as read. The catalogue topics are read as bytes and decoded by the topology's own processors,
 * which dead-letter what they cannot decode; this covers the repartition topics (a traffic sample,
 * a resolution), which only a hand or another application could have filled with bad bytes. The
 * default handler stops the stream on them.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private DeadLetterProducer deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetterProducer.of(configs);
    }

    @Override
    public DeserializationHandlerResponse handle(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String reason = "deserialize: " + exception;
        return deadLetters.deadLetter(record.topic(), record.key(), record.value(), record.headers(), reason)
                ? DeserializationHandlerResponse.CONTINUE
                : DeserializationHandlerResponse.FAIL;
    }
}
