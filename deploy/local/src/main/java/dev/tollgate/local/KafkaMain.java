package dev.tollgate.local;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a broker in the foreground until killed:
 * {@code java -cp 'deploy/local/target/local.jar:deploy/local/target/lib/*' dev.tollgate.local.KafkaMain --port 9092 --data DIR}.
 * Prints "Kafka ready at 127.0.0.1:PORT" once it answers.
 */
public final class KafkaMain {

    private KafkaMain() {
    }

    public static void main(String[] args) throws Exception {
        Launcher.quietLogging();
        int port = 9092;
        Path data = Path.of(".tollgate", "kafka");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: KafkaMain [--port 9092] [--data DIR]");
                    System.exit(2);
                }
            }
        }
        long t0 = System.nanoTime();
        KafkaBroker broker;
        try {
            broker = KafkaBroker.start(port, data);
        } catch (RuntimeException e) {
            System.err.println("Kafka failed to start: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.printf("Kafka ready at %s in %d ms (data %s)%n", broker.bootstrapServers(),
                (System.nanoTime() - t0) / 1_000_000, broker.dataDir());
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            broker.stop();
        }, "kafka-stop"));
        broker.process().process().waitFor();
        if (!stopping.get()) {
            System.err.println("Kafka exited with code " + broker.process().process().exitValue()
                    + "; see " + broker.process().logFile());
            System.exit(1);
        }
    }
}
