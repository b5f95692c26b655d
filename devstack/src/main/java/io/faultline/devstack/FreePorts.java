package io.faultline.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for throw-away test infrastructure. A stack takes all its ports first and binds them
 * later, so a port handed out must stay free until then and afterwards:
 *
 * <ul>
 *   <li>none is handed out twice in one JVM: the kernel's {@code bind(0)} may give back the port it
 *       just freed, and two services given the same port had one answer for the other (a 404
 *       from the wrong service);
 *   <li>none lies in the kernel's ephemeral range, from which every outgoing connection takes its
 *       local port: one could take a service's port while the service restarts.
 * </ul>
 *
 * Ports are drawn at random from {@link #LOWEST} up to the ephemeral range, above the launcher's
 * own defaults (8080-8090, 15432, 19092-19093), and checked free on the loopback interface.
 */
public final class FreePorts {

    /** The lowest port handed out: above the launcher's default ports. */
    static final int LOWEST = 20_000;

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {}

    /** A port free on the loopback interface right now, never handed out before by this JVM. */
    public static int next() {
        int high = ephemeralRangeStart();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int tries = 0; tries < 10_000 && high > LOWEST; tries++) {
            int port = LOWEST + random.nextInt(high - LOWEST);
            if (HANDED_OUT.add(port) && !inUse(port)) {
                return port;
            }
        }
        // a kernel whose ephemeral range starts low (or a JVM that used them all): any free port
        for (int tries = 0; tries < 10_000; tries++) {
            int port = kernelChosen();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port left to hand out");
    }

    /** The first port of the kernel's ephemeral range (Linux's default when it cannot be read). */
    static int ephemeralRangeStart() {
        // read as lines: Files.readString of this procfs file answered "3" (it reports a size of 0)
        try (var lines = Files.lines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            String range = lines.findFirst().orElse("").trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static int kernelChosen() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether something listens on (or holds) {@code port} on the loopback interface. */
    public static boolean inUse(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
