package io.orderflow.devstack;

/**
 * Keeps {@code ./mvnw test} the fast loop: the build runs unit tests with {@value #PROPERTY} set, and a test that
 * starts a broker or PostgreSQL there fails at once with the fix in its message, instead of slowing every run.
 */
final class UnitTestGuard {

    static final String PROPERTY = "orderflow.unit-tests";

    private UnitTestGuard() {}

    static void refuseInUnitTests(String what) {
        if (Boolean.getBoolean(PROPERTY)) {
            throw new IllegalStateException("a unit test may not start " + what + ": end the test class's name in IT,"
                    + " so that the integration tests of `./mvnw verify` run it instead of `./mvnw test`");
        }
    }
}
