package io.orderflow.bench;

import io.orderflow.contracts.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The read side alone, fed with the events of confirmed orders straight onto the topics: the topology's
 * throughput over a history under exactly-once and at-least-once, and its freshness at a steady rate.
 */
@Command(
        name = "views",
        mixinStandardHelpOptions = true,
        description = "Read side (Kafka Streams) throughput under exactly_once_v2 vs at_least_once over the same"
                + " history, and freshness (event to committed view) at a steady rate.")
public final class ViewsBench implements Callable<Integer> {

    @Option(
            names = "--orders",
            defaultValue = "30000",
            description = "Orders in the history replayed (5 events each; default ${DEFAULT-VALUE}).")
    int orders;

    @Option(
            names = "--rate",
            defaultValue = "200",
            description = "Orders per second while freshness is measured (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(
            names = "--seconds",
            defaultValue = "30",
            description = "How long freshness is measured (default ${DEFAULT-VALUE}).")
    int seconds;

    @Override
    public Integer call() throws Exception {
        BenchReport.title("Read side benchmark: " + orders + " orders of history, then " + rate + " orders/s for "
                + seconds + " s");
        try (BenchStack stack = BenchStack.start()) {
            Topics.ALL.forEach(stack::createTopic);
            SagaHistory history = new SagaHistory(stack.serdes());
            Instant start = Instant.now().minus(Duration.ofMinutes(30));
            try (KafkaProducer<String, byte[]> producer = stack.reliableProducer("views-bench")) {
                for (int i = 0; i < orders; i++) {
                    history.confirmedOrder(i, start.plusMillis(i * 50L)).forEach(producer::send);
                }
                producer.flush();
            }
            ViewBench views = new ViewBench(null, stack);
            views.compareGuarantees();
            ViewBench.Freshness freshness = views.freshnessAt(rate, seconds, history);
            BenchReport.title("Freshness at " + rate + " orders/s (" + rate * 5 + " events/s), exactly-once, 100 ms"
                    + " commits: event → committed in the view");
            freshness.print("event → view");
        }
        return 0;
    }
}
