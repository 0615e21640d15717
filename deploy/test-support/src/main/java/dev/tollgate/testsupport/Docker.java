package dev.tollgate.testsupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a Docker engine can be used by Testcontainers. Asked once per JVM, never throws.
 * Set {@code TOLLGATE_TEST_DOCKER=false} to skip the probe (and Testcontainers) entirely.
 */
public final class Docker {

    private static final Logger log = LoggerFactory.getLogger(Docker.class);
    private static volatile Boolean available;

    private Docker() {
    }

    public static boolean available() {
        Boolean a = available;
        if (a == null) {
            synchronized (Docker.class) {
                a = available;
                if (a == null) {
                    a = probe();
                    available = a;
                }
            }
        }
        return a;
    }

    private static boolean probe() {
        String flag = System.getenv("TOLLGATE_TEST_DOCKER");
        if (flag != null && (flag.equalsIgnoreCase("false") || flag.equals("0") || flag.equalsIgnoreCase("no"))) {
            return false;
        }
        try {
            boolean ok = org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            log.info("Docker engine {}", ok ? "available: using Testcontainers" : "not available: using embedded servers");
            return ok;
        } catch (Throwable t) {
            log.info("Docker engine not available ({}): using embedded servers", t.toString());
            return false;
        }
    }
}
