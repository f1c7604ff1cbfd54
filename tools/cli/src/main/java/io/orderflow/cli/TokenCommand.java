package io.orderflow.cli;

import io.orderflow.devstack.StackRealm;
import io.orderflow.devstack.StackSettings;
import io.orderflow.devstack.Tokens;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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
        Tokens tokens = Tokens.forStack(stack != null ? stack : CliCredentials.runningStack());
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
}
