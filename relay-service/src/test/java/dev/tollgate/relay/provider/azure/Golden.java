package dev.tollgate.relay.provider.azure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Recorded Azure OpenAI wire samples under src/test/resources/golden/azure. */
final class Golden {

    private Golden() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/azure/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
