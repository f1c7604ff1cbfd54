package io.orderflow.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Finding TCP ports on the loopback interface. */
public final class Ports {

    // The kernel may hand the same ephemeral port to two binds in a row once the first socket is closed; two
    // processes started with it would then race for it, and the loser's health check would reach the winner.
    private static final Set<Integer> handedOut = new HashSet<>();

    private Ports() {}

    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Like the servers that will bind it: a port held only by TIME_WAIT connections is free.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A free port that this JVM has not handed out before, so that processes started one after another differ. */
    public static synchronized int free() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = anyFree();
            if (handedOut.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port that was not handed out already");
    }

    /**
     * A free port below the kernel's ephemeral range, where no outgoing connection is ever given one: a process that
     * is killed and started again on the same port (a broker, PostgreSQL, a service in a fault test) must find it free,
     * not taken by some connection made while it was down. Any free port if none is found there.
     */
    private static int anyFree() {
        int below = ephemeralRangeStart();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200 && below > LOWEST + 1000; attempt++) {
            int port = random.nextInt(LOWEST, below);
            if (isFree(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    /** Above the well-known services' ports and those this project prefers (8080-8099, 9092). */
    private static final int LOWEST = 20_000;

    /** The first port of {@code /proc/sys/net/ipv4/ip_local_port_range}; 32768, Linux's default, if unreadable. */
    static int ephemeralRangeStart() {
        try {
            // Read as lines: procfs reports a size of 0, and a read by size gets its first byte alone.
            String range = java.nio.file.Files.readAllLines(
                            java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .get(0);
            return Integer.parseInt(range.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    /** The preferred port when nothing listens on it, otherwise any free one. */
    public static int preferred(int port) {
        return isFree(port) ? port : free();
    }
}
