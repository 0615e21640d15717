package dev.tollgate.local;

/**
 * Exit 0 when a broker answers at {@code --bootstrap host:port} (waiting up to {@code --timeout}
 * seconds, default 60), else 1. For scripts.
 */
public final class KafkaReady {

    private KafkaReady() {
    }

    public static void main(String[] args) throws InterruptedException {
        Launcher.quietLogging();
        String bootstrap = "127.0.0.1:9092";
        int timeout = 60;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[++i];
                case "--timeout" -> timeout = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: KafkaReady [--bootstrap host:port] [--timeout seconds]");
                    System.exit(2);
                }
            }
        }
        long end = System.nanoTime() + timeout * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (KafkaBroker.isReady(bootstrap)) {
                System.out.println("Kafka ready at " + bootstrap);
                System.exit(0);
            }
            Thread.sleep(500);
        }
        System.err.println("Kafka not ready at " + bootstrap + " after " + timeout + " s");
        System.exit(1);
    }
}
