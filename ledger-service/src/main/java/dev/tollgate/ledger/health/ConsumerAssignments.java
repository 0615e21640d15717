package dev.tollgate.ledger.health;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Which of the ledger's consumers have joined their group (received an assignment, possibly empty), and how many
 * partitions each listener holds in all (a listener may run several consumers).
 */
@Component
public class ConsumerAssignments {

    /** The listeners that must have joined before the ledger is ready. */
    public static final Set<String> REQUIRED = Set.of("usage", "commands");

    /** Listener → consumer → its partition count. */
    private final Map<String, Map<Object, Integer>> partitions = new ConcurrentHashMap<>();

    /** One consumer of the listener got this many partitions (its whole assignment). */
    public void assigned(String listener, Object consumer, int partitionCount) {
        partitions.computeIfAbsent(listener, k -> new ConcurrentHashMap<>()).put(consumer, partitionCount);
    }

    public boolean allJoined() {
        return partitions.keySet().containsAll(REQUIRED);
    }

    /** Partitions held per listener, summed over its consumers. */
    public Map<String, Integer> snapshot() {
        Map<String, Integer> out = new TreeMap<>();
        partitions.forEach((listener, consumers) -> out.put(listener,
                consumers.values().stream().mapToInt(Integer::intValue).sum()));
        return Map.copyOf(out);
    }
}
