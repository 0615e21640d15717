package dev.tollgate.ledger.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Part of readiness: UP once the usage and command consumers have joined their groups. Migrations
 * have run by then, since Flyway runs before any consumer starts.
 */
@Component("ledgerConsumers")
class LedgerConsumersHealthIndicator implements HealthIndicator {

    private final ConsumerAssignments assignments;

    LedgerConsumersHealthIndicator(ConsumerAssignments assignments) {
        this.assignments = assignments;
    }

    @Override
    public Health health() {
        Health.Builder builder = assignments.allJoined() ? Health.up() : Health.outOfService();
        assignments.snapshot().forEach((listener, count) -> builder.withDetail(listener + "Partitions", count));
        return builder.build();
    }
}
