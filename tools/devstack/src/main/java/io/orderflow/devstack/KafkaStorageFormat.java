package io.orderflow.devstack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code kafka-storage format} (the main class of a child JVM), with the SCRAM credentials to bootstrap taken from
 * the environment variable {@value #SCRAM_CREDENTIALS}, one {@code --add-scram} argument a line, instead of the
 * command line, where every user of the machine could read the passwords.
 */
public final class KafkaStorageFormat {

    static final String SCRAM_CREDENTIALS = "ORDERFLOW_KAFKA_SCRAM_CREDENTIALS";

    private KafkaStorageFormat() {}

    public static void main(String[] args) {
        List<String> arguments = new ArrayList<>(Arrays.asList(args));
        String credentials = System.getenv(SCRAM_CREDENTIALS);
        if (credentials != null) {
            credentials.lines().filter(line -> !line.isBlank()).forEach(line -> {
                arguments.add("--add-scram");
                arguments.add(line);
            });
        }
        kafka.tools.StorageTool.main(arguments.toArray(String[]::new));
    }
}
