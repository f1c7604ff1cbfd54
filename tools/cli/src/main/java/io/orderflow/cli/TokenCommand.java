package io.orderflow.cli;

import io.orderflow.devstack.AuthServerProcess;
import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.StackRealm;
import io.orderflow.devstack.StackSettings;
import io.orderflow.devstack.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** An access token of the running stack, alone on standard output, for a curl line. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = {
            "Print an access token from the running stack's auth server, and nothing else:",
            "  curl -H \"Authorization: Bearer $(./orderflow token --customer alice)\" ...",
            "The stack's users and clients, with their passwords and secrets, are in auth/realm.json of its work"
                    + " directory."
        })
final class TokenCommand implements Callable<Integer> {

    static final class Who {
        @Option(
                names = "--customer",
                paramLabel = "NAME",
                description = "A customer's token (alice, bob, carol, dave, erin), by logging them in.")
        String customer;

        @Option(
                names = "--ops",
                description = "The command line's own token (client " + StackRealm.CLI_CLIENT + ", role "
                        + StackRealm.OPERATOR + ").")
        boolean ops;

        @Option(
                names = "--storefront",
                description = "The storefront's token (client " + StackRealm.STOREFRONT_CLIENT + ", role "
                        + StackRealm.STOREFRONT + "), which places orders on behalf of customers.")
        boolean storefront;

        @Option(
                names = "--user",
                paramLabel = "NAME",
                description = "Any user's token, by logging them in (such as " + StackRealm.OPS + ", the operator).")
        String user;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Who who;

    @Option(
            names = "--stack",
            paramLabel = "DIR",
            description = "The stack's work directory (default: the one stack running under $"
                    + StackSettings.ORDERFLOW_HOME + ", else .orderflow).")
    Path stack;

    @Override
    public Integer call() {
        Tokens tokens = Tokens.forStack(stack != null ? stack : runningStack());
        String token;
        if (who.customer != null) {
            token = tokens.customer(who.customer);
        } else if (who.user != null) {
            token = tokens.user(who.user);
        } else if (who.storefront) {
            token = tokens.storefront();
        } else {
            token = tokens.operator();
        }
        System.out.println(token);
        System.out.flush();
        return 0;
    }

    /**
     * The work directory of the stack whose auth server answers: the plain one, or one with several brokers or
     * secured, which live inside it.
     */
    private static Path runningStack() {
        Path home = StackSettings.fromEnvironment(System.getenv()).workDirectory();
        List<Path> running =
                candidates(home).stream().filter(TokenCommand::answers).toList();
        if (running.isEmpty()) {
            throw new IllegalStateException("no stack is running in " + home + " (start it with ./orderflow up)");
        }
        if (running.size() > 1) {
            throw new IllegalStateException("several stacks are running in " + home + " ("
                    + running.stream().map(Path::toString).collect(Collectors.joining(", "))
                    + "): choose one with --stack DIR");
        }
        return running.get(0);
    }

    /** The work directories under {@code home} whose auth server wrote its issuer file. */
    private static List<Path> candidates(Path home) {
        if (!Files.isDirectory(home)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(home, 4)) {
            return files.filter(file -> file.getFileName().toString().equals(AuthServerProcess.ISSUER_FILE))
                    .map(Path::getParent)
                    .filter(directory -> directory.getParent() != null
                            && directory.equals(DevStack.authDirectory(directory.getParent())))
                    .map(Path::getParent)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for a running stack in " + home, e);
        }
    }

    /** Whether the issuer the stack's file names answers (a killed launcher leaves the file behind). */
    private static boolean answers(Path workDirectory) {
        return AuthServerProcess.writtenIssuer(DevStack.authDirectory(workDirectory))
                .map(issuer -> {
                    try {
                        return HttpClient.newBuilder()
                                        .connectTimeout(Duration.ofSeconds(2))
                                        .build()
                                        .send(
                                                HttpRequest.newBuilder(URI.create(
                                                                issuer + "/.well-known/openid-configuration"))
                                                        .timeout(Duration.ofSeconds(5))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException e) {
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                })
                .orElse(false);
    }
}
