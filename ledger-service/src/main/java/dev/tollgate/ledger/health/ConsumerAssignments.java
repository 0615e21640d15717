package dev.tollgate.ledger.health;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Which of the ledger's consumers have joined their group (received an assignment, possibly empty). */
@Component
public class ConsumerAssignments {

    /** The listeners that must have joined before the ledger is ready. */
    public static final Set<String> REQUIRED = Set.of("usage", "commands");

    private final Map<String, Integer> partitions = new ConcurrentHashMap<>();

    public void assigned(String listener, int partitionCount) {
        partitions.merge(listener, partitionCount, (a, b) -> b);
    }

    public boolean allJoined() {
        return partitions.keySet().containsAll(REQUIRED);
    }

    public Map<String, Integer> snapshot() {
        return Map.copyOf(partitions);
    }
}
