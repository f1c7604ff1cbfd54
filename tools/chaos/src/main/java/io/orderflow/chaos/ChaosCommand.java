package io.orderflow.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orderflow chaos}: the system under a seeded schedule of faults, then every invariant checked. */
@Command(
        name = "chaos",
        mixinStandardHelpOptions = true,
        description = {
            "On a fresh stack (3 Kafka nodes, two instances of every service), place a steady mixed load while a"
                    + " seeded schedule kills, pauses and restarts services, brokers, PostgreSQL, the registry and"
                    + " the payment provider; then check every invariant against the truth in each service's tables,"
                    + " the provider's ledger, the topics and the read side.",
            "Exits 0 when every invariant held, 1 otherwise. The same --seed replays the same schedule."
        })
public final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--seed", description = "Seeds the fault schedule and the load (default: a new one each run).")
    Long seed;

    @Option(
            names = "--quick",
            description = "The short run of the test suite: 75 s of load, 2 kills per service, a broker kill, a"
                    + " database crash, a provider outage and a registry restart.")
    boolean quick;

    @Option(names = "--minutes", description = "Minutes of load and faults (default: 12, or 75 s with --quick).")
    Double minutes;

    @Option(names = "--rate", description = "Orders per second (default: 5, or 8 with --quick).")
    Double rate;

    @Option(
            names = "--no-faults",
            description = "The same stack and load without a single fault: what the machine does undisturbed, to"
                    + " read a run's figures against; every invariant is checked all the same.")
    boolean noFaults;

    @Option(
            names = "--secure",
            description = "Secure the fresh stack's Kafka (SASL_SSL, ACLs per principal) and its registry (HTTPS), as"
                    + " ./orderflow up --secure does.")
    boolean secure;

    @Option(
            names = "--report",
            defaultValue = ".orderflow/chaos",
            description = "Where the run's JSON report and the services' logs go (default ${DEFAULT-VALUE}).")
    Path report;

    @Override
    public Integer call() throws Exception {
        long chosen = seed != null ? seed : System.currentTimeMillis() % 1_000_000;
        Path directory = report.resolve("seed-" + chosen + "-" + System.currentTimeMillis() / 1000);
        ChaosSettings settings =
                quick ? ChaosSettings.quick(chosen, directory) : ChaosSettings.standard(chosen, directory);
        if (secure) {
            settings = settings.secured();
        }
        if (minutes != null || rate != null) {
            if (minutes != null && !(minutes >= 0.5 && minutes < 24 * 60)) {
                throw new picocli.CommandLine.ParameterException(
                        new picocli.CommandLine(this), "--minutes is between 0.5 and 1439, not " + minutes);
            }
            settings = settings.withLoad(
                    minutes != null ? Duration.ofMillis(Math.round(minutes * 60_000)) : settings.load(),
                    rate != null ? rate : settings.ratePerSecond());
        }
        if (noFaults) {
            settings = settings.withoutFaults();
        }
        return new ChaosRun(settings).run().passed() ? 0 : 1;
    }
}
