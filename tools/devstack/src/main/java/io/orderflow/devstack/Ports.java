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

    private static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    /** The preferred port when nothing listens on it, otherwise any free one. */
    public static int preferred(int port) {
        return isFree(port) ? port : free();
    }
}
