package dev.tollgate.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/** Free ports and the checkout root, for tests that start services of their own. */
final class TestPorts {

    private TestPorts() {
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port p with p + 1 free too: KafkaBroker listens on p and its controller on p + 1. */
    static int freePortPair() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p = freePort();
            if (p < 65535 && isFree(p + 1)) {
                return p;
            }
        }
        throw new IllegalStateException("no two adjacent free ports found");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !p.resolve("ledger-service").toFile().isDirectory()) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the checkout root from " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
