package io.orderflow.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finding TCP ports on the loopback interface. */
public final class Ports {
    private Ports() {
    }

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

    public static int free() {
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
