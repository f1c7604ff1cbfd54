package io.orderflow.provider;

/**
 * The switches of the simulated provider, changed at run time over {@code PUT /control}.
 *
 * @param latencyMillis how long every charge or refund takes to answer
 * @param declineRate   share of new charges declined (insufficient funds)
 * @param errorRate     share of requests answered 500 before anything is done
 * @param garbageRate   share of new charges that are made but answered with a body that is not JSON
 * @param outage        every request answered 503, nothing done
 * @param declineAmount charges of exactly this amount are always declined, as a real provider's test card numbers
 *                      are: lets a test decline one order without declining everyone else's; null for none
 * @param threeDecimals charges of amounts with three decimals are taken, as providers take them for currencies with
 *                      three minor digits: lets a test make a charge that a client keeping two decimals cannot book
 */
public record ProviderSwitches(
        long latencyMillis,
        double declineRate,
        double errorRate,
        double garbageRate,
        boolean outage,
        java.math.BigDecimal declineAmount,
        boolean threeDecimals) {

    public ProviderSwitches(
            long latencyMillis, double declineRate, double errorRate, double garbageRate, boolean outage) {
        this(latencyMillis, declineRate, errorRate, garbageRate, outage, null);
    }

    public ProviderSwitches(
            long latencyMillis,
            double declineRate,
            double errorRate,
            double garbageRate,
            boolean outage,
            java.math.BigDecimal declineAmount) {
        this(latencyMillis, declineRate, errorRate, garbageRate, outage, declineAmount, false);
    }

    /** Healthy, and taking charges of amounts with three decimals. */
    public static ProviderSwitches takingThreeDecimals() {
        return new ProviderSwitches(0, 0, 0, 0, false, null, true);
    }

    public static ProviderSwitches healthy() {
        return new ProviderSwitches(0, 0, 0, 0, false);
    }

    public static ProviderSwitches declining(java.math.BigDecimal amount) {
        return new ProviderSwitches(0, 0, 0, 0, false, amount);
    }

    boolean declines(java.math.BigDecimal amount) {
        return declineAmount != null && declineAmount.compareTo(amount) == 0;
    }

    public ProviderSwitches {
        if (latencyMillis < 0 || latencyMillis > 60_000) {
            throw new IllegalArgumentException("latencyMillis must be between 0 and 60000");
        }
        for (double rate : new double[] {declineRate, errorRate, garbageRate}) {
            if (rate < 0 || rate > 1) {
                throw new IllegalArgumentException("rates are between 0 and 1");
            }
        }
    }
}
