package dev.tollgate.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the simulator as a process: port from {@code --port N}, else env {@code TOLLGATE_SIMULATOR_PORT},
 * else 8090; bound to {@code --host H}, else env {@code TOLLGATE_SIMULATOR_HOST}, else 127.0.0.1 (a container
 * image sets 0.0.0.0 so the relay's container can reach it). Blocks until killed.
 */
public final class SimulatorMain {

    static final int DEFAULT_PORT = 8090;
    static final String PORT_ENV = "TOLLGATE_SIMULATOR_PORT";
    static final String HOST_ENV = "TOLLGATE_SIMULATOR_HOST";

    private static final Logger log = LoggerFactory.getLogger(SimulatorMain.class);

    private SimulatorMain() {
    }

    public static void main(String[] args) {
        int port = port(args, System.getenv(PORT_ENV));
        Simulator simulator = Simulator.start(host(args, System.getenv(HOST_ENV)), port);
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "simulator-shutdown"));
        log.info("simulator listening on {}", simulator.baseUrl());
        simulator.awaitTermination();
    }

    static int port(String[] args, String env) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                return parsePort(args[i + 1], "--port");
            }
            if (args[i].startsWith("--port=")) {
                return parsePort(args[i].substring("--port=".length()), "--port");
            }
        }
        if (env != null && !env.isBlank()) {
            return parsePort(env.trim(), PORT_ENV);
        }
        return DEFAULT_PORT;
    }

    static String host(String[] args, String env) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--host") && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith("--host=")) {
                return args[i].substring("--host=".length());
            }
        }
        return env != null && !env.isBlank() ? env.trim() : Simulator.HOST;
    }

    private static int parsePort(String value, String source) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(source + " must be a port number (0-65535): " + value);
    }
}
