package dev.tollgate.deploy.aws;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps that keep their insertion order: {@code Map.of} iterates in a different order in each JVM, which would
 * reorder lists and keys in the synthesized template from one run to the next.
 */
final class Ordered {

    private Ordered() {
    }

    static Map<String, Object> map(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
