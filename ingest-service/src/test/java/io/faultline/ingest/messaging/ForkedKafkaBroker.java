package io.faultline.ingest.messaging;

import io.faultline.devstack.EmbeddedKafkaBroker;
import io.faultline.schemas.topics.Topics;
import java.nio.file.Path;

/**
 * A Kafka broker in a JVM of its own, so that a test can kill it as an operator's {@code kill -9}
 * or a crashed machine would: no controlled shutdown, its sockets closed by the kernel. Prints
 * {@value #READY} once its topics exist, then runs until killed.
 */
public final class ForkedKafkaBroker {

    static final String READY = "forked-kafka-ready";

    private ForkedKafkaBroker() {}

    /** @param args log directory, port, controller port */
    public static void main(String[] args) throws Exception {
        EmbeddedKafkaBroker broker =
                new EmbeddedKafkaBroker(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2])).start();
        broker.createTopics(Topics.all());
        System.out.println(READY);
        System.out.flush();
        Thread.currentThread().join();
    }
}
