package io.orderflow.bench;

import io.orderflow.contracts.Topics;
import io.orderflow.contracts.common.OrderLine;
import io.orderflow.contracts.orders.OrderPlaced;
import io.orderflow.eventing.serde.EventSerde;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Serialize + deserialize through the registry-backed serde (schemas cached: the steady state of a service) against
 * plain Avro binary encoding of the same records, in the same JVM and run, alternating rounds so that neither side
 * gets a warmer machine.
 */
@Command(
        name = "serde",
        mixinStandardHelpOptions = true,
        description = "Registry-backed serde versus plain Avro binary, events/s for serialize + deserialize.")
public final class SerdeBench implements Callable<Integer> {

    @Option(
            names = "--rounds",
            defaultValue = "9",
            description = "Measured rounds per side (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--events", defaultValue = "300000", description = "Events per round (default ${DEFAULT-VALUE}).")
    int events;

    private volatile long sink;

    @Override
    public Integer call() throws Exception {
        BenchReport.title("Serde benchmark: OrderPlaced with 3 lines, serialize + deserialize, 1 thread");
        try (BenchStack stack = BenchStack.start()) {
            EventSerde serde = stack.serdes().of(Topics.ORDERS);
            List<OrderPlaced> orders = orders(1024);
            PlainAvro plain = new PlainAvro();
            BenchReport.line("encoded size, plain Avro", plain.encode(orders.get(0)).length + " bytes");
            BenchReport.line("encoded size, wire format", serde.toBytes(orders.get(0)).length + " bytes");

            for (int warmup = 0; warmup < 3; warmup++) {
                registryRound(serde, orders);
                plainRound(plain, orders);
            }
            double[] registry = new double[rounds];
            double[] avro = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                registry[round] = registryRound(serde, orders);
                avro[round] = plainRound(plain, orders);
            }
            double registryMedian = median(registry);
            double avroMedian = median(avro);
            BenchReport.line(
                    "plain Avro binary",
                    String.format("%,.0f events/s (median of %d rounds of %,d)", avroMedian, rounds, events));
            BenchReport.line("registry wire format", String.format("%,.0f events/s", registryMedian));
            BenchReport.title("Result");
            BenchReport.line(
                    "registry serde / plain Avro",
                    String.format("%.2fx (target >= 0.9x)", registryMedian / avroMedian));
        }
        return 0;
    }

    private double registryRound(EventSerde serde, List<OrderPlaced> orders) {
        long start = System.nanoTime();
        long check = 0;
        for (int i = 0; i < events; i++) {
            byte[] bytes = serde.toBytes(orders.get(i & 1023));
            check += ((OrderPlaced) serde.fromBytes("OrderPlaced", bytes))
                    .getLines()
                    .size();
        }
        sink += check;
        return BenchReport.perSecond(events, System.nanoTime() - start);
    }

    private double plainRound(PlainAvro plain, List<OrderPlaced> orders) {
        long start = System.nanoTime();
        long check = 0;
        for (int i = 0; i < events; i++) {
            byte[] bytes = plain.encode(orders.get(i & 1023));
            check += plain.decode(bytes).getLines().size();
        }
        sink += check;
        return BenchReport.perSecond(events, System.nanoTime() - start);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static List<OrderPlaced> orders(int count) {
        List<OrderPlaced> orders = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            orders.add(OrderPlaced.newBuilder()
                    .setOrderId("00000000-0000-0000-0000-" + String.format("%012d", i))
                    .setCustomerId("customer-" + (i % 97))
                    .setCurrency("EUR")
                    .setLines(List.of(
                            new OrderLine("KB-001", 1 + i % 3, new BigDecimal("49.90")),
                            new OrderLine("MS-002", 1, new BigDecimal("19.99")),
                            new OrderLine("HB-004", 2, new BigDecimal("24.50"))))
                    .setTotalAmount(new BigDecimal("118.89"))
                    .setPlacedAt(Instant.ofEpochMilli(1_790_000_000_000L + i))
                    .build());
        }
        return orders;
    }

    /** Avro binary of the generated class, nothing around it: what the serde is measured against. */
    private static final class PlainAvro {
        private final SpecificDatumWriter<OrderPlaced> writer = new SpecificDatumWriter<>(OrderPlaced.class);
        private final SpecificDatumReader<OrderPlaced> reader = new SpecificDatumReader<>(OrderPlaced.class);

        byte[] encode(OrderPlaced order) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            try {
                writer.write(order, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }

        OrderPlaced decode(byte[] bytes) {
            try {
                return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
