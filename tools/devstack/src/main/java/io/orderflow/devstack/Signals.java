package io.orderflow.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** Sends a POSIX signal to a process, with {@code kill}: the JDK sends only SIGTERM and SIGKILL. */
final class Signals {

    private Signals() {}

    /** @param signal its name without {@code SIG}: {@code STOP}, {@code CONT}, {@code QUIT}, {@code INT} */
    static void send(long pid, String signal, String what) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " (" + what + ") failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + what, e);
        }
    }
}
