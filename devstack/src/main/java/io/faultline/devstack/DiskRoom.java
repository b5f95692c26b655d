package io.faultline.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Waits, before the devstack starts anything, until its home has room to start in.
 *
 * <p>When the disk fills, the broker's log directory fails and the process exits; the supervisor
 * starts it again within a second, usually while the disk is still full. PostgreSQL then cannot
 * write its pid file or WAL and sits in its start-up wait (60 s) before the process gives up, so the
 * stack would come back up to a minute after the space did. Waiting here instead starts it within a
 * second of the space coming back. A process waiting here is not ready, so {@code up} reports it, and
 * it stops on SIGTERM as any other.
 */
final class DiskRoom {

    /** Room for PostgreSQL's first WAL segment (16 MB) and Kafka's segment indexes, with a margin. */
    static final long NEEDED_BYTES = 64L * 1024 * 1024;

    /** Pauses between two looks at the free space. */
    interface Pause {
        void pause() throws InterruptedException;
    }

    private final LongSupplier usableBytes;
    private final Pause pause;
    private final Consumer<String> say;

    DiskRoom(LongSupplier usableBytes, Pause pause, Consumer<String> say) {
        this.usableBytes = usableBytes;
        this.pause = pause;
        this.say = say;
    }

    /** The free space of the filesystem holding {@code home}, looked at every half second. */
    static DiskRoom of(Path home) {
        return new DiskRoom(
                () -> {
                    try {
                        return Files.getFileStore(home).getUsableSpace();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                () -> Thread.sleep(500),
                System.out::println);
    }

    /** Returns the usable bytes once there are {@link #NEEDED_BYTES}; says once that it waits. */
    long await(String where) throws InterruptedException {
        boolean said = false;
        while (true) {
            long free = usableBytes.getAsLong();
            if (free >= NEEDED_BYTES) {
                if (said) {
                    say.accept("devstack: room again under " + where + "; starting");
                }
                return free;
            }
            if (!said) {
                say.accept(String.format(
                        Locale.ROOT,
                        "devstack: waiting for disk space under %s: %d MB free, %d MB needed to start",
                        where,
                        free / (1024 * 1024),
                        NEEDED_BYTES / (1024 * 1024)));
                said = true;
            }
            pause.pause();
        }
    }
}
