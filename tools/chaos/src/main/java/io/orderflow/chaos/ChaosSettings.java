package io.orderflow.chaos;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a chaos run does: how long the load lasts, at what rate, and how many faults of each kind the schedule holds.
 * The same seed and settings give the same schedule and the same load, so a failing run can be run again.
 *
 * @param seed              seeds the fault schedule and the load
 * @param load              how long orders are placed; the faults fall inside this time
 * @param ratePerSecond     orders placed per second
 * @param brokers           Kafka nodes (3: every topic three replicas, two in sync)
 * @param secure            SASL_SSL with ACLs and an HTTPS registry, as {@code up --secure}
 * @param killsPerService   SIGKILLs of each service's instances (the two instances share them)
 * @param killsInTransaction of those, how many wait for the instance to be inside a database transaction first
 * @param pauses            SIGSTOPs longer than the consumer session timeout, spread over the services
 * @param brokerKills       SIGKILLs of a broker, the active controller among them
 * @param databaseRestarts  PostgreSQL restarts, alternately clean and by crash
 * @param providerFaults    outages, slow spells and error spells of the payment provider
 * @param registryRestarts  restarts of the schema registry
 * @param settleWithin      how long every order gets to end after the load and the faults are over
 * @param classDataArchives whether each service first gets a class-data archive from a training run: it pays off
 *                          when restarts far outnumber the instances
 * @param reportDirectory   where the report's JSON and the services' logs go
 */
public record ChaosSettings(
        long seed,
        Duration load,
        double ratePerSecond,
        int brokers,
        boolean secure,
        int killsPerService,
        int killsInTransaction,
        int pauses,
        int brokerKills,
        int databaseRestarts,
        int providerFaults,
        int registryRestarts,
        Duration settleWithin,
        boolean classDataArchives,
        Path reportDirectory) {

    public ChaosSettings {
        if (load.toSeconds() < 30 || load.toHours() >= 24) {
            throw new IllegalArgumentException(
                    "the load lasts at least 30 s and less than a day, not " + load.toSeconds() + " s");
        }
        if (!(ratePerSecond >= 0.1 && ratePerSecond <= 500)) {
            throw new IllegalArgumentException("the rate is between 0.1 and 500 orders/s, not " + ratePerSecond);
        }
        if (brokers < 1) {
            throw new IllegalArgumentException("at least one broker, not " + brokers);
        }
        for (int count : new int[] {
            killsPerService, killsInTransaction, pauses, brokerKills, databaseRestarts, providerFaults, registryRestarts
        }) {
            if (count < 0) {
                throw new IllegalArgumentException("a number of faults is at least 0, not " + count);
            }
        }
        if (killsInTransaction > killsPerService) {
            throw new IllegalArgumentException("kills inside a transaction are among the kills per service: at most "
                    + killsPerService + ", not " + killsInTransaction);
        }
        if (brokerKills > 0 && brokers < 3) {
            throw new IllegalArgumentException(
                    "killing brokers needs a cluster that survives one lost node: --brokers 3, not " + brokers);
        }
    }

    /** The default run: about 15 minutes on a 2-core machine, 12 of them under load and faults. */
    public static ChaosSettings standard(long seed, Path reportDirectory) {
        return new ChaosSettings(
                seed,
                Duration.ofMinutes(12),
                5,
                3,
                false,
                30,
                10,
                5,
                5,
                5,
                6,
                2,
                Duration.ofMinutes(4),
                true,
                reportDirectory);
    }

    /**
     * The run of the test suite: 75 s of load, 2 kills per service (one inside a transaction), a broker kill, a
     * database crash, a provider outage and a registry restart.
     */
    public static ChaosSettings quick(long seed, Path reportDirectory) {
        return new ChaosSettings(
                seed,
                Duration.ofSeconds(75),
                8,
                3,
                false,
                2,
                1,
                0,
                1,
                1,
                1,
                1,
                Duration.ofMinutes(3),
                false,
                reportDirectory);
    }

    /** The same stack and load, and no fault at all. */
    public ChaosSettings withoutFaults() {
        return new ChaosSettings(
                seed,
                load,
                ratePerSecond,
                brokers,
                secure,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                settleWithin,
                classDataArchives,
                reportDirectory);
    }

    public ChaosSettings secured() {
        return with(load, ratePerSecond, true);
    }

    /**
     * Another length of load, with every count of faults scaled to it (at least one of each kind the profile has), so
     * that the faults fit in the time as they do in the profile; and another rate.
     */
    public ChaosSettings withLoad(Duration duration, double rate) {
        double scale = duration.toMillis() / (double) load.toMillis();
        int kills = scaled(killsPerService, scale);
        return new ChaosSettings(
                seed,
                duration,
                rate,
                brokers,
                secure,
                kills,
                Math.min(kills, scaled(killsInTransaction, scale)),
                scaled(pauses, scale),
                scaled(brokerKills, scale),
                scaled(databaseRestarts, scale),
                scaled(providerFaults, scale),
                scaled(registryRestarts, scale),
                settleWithin,
                classDataArchives,
                reportDirectory);
    }

    private static int scaled(int count, double scale) {
        return count == 0 ? 0 : Math.max(1, (int) Math.round(count * scale));
    }

    private ChaosSettings with(Duration duration, double rate, boolean secured) {
        return new ChaosSettings(
                seed,
                duration,
                rate,
                brokers,
                secured,
                killsPerService,
                killsInTransaction,
                pauses,
                brokerKills,
                databaseRestarts,
                providerFaults,
                registryRestarts,
                settleWithin,
                classDataArchives,
                reportDirectory);
    }
}
