package dev.tollgate.relay.snapshot;

import java.time.Instant;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness: DOWN until the snapshot is loaded, and only then. Kafka plays no part in the status — a relay whose
 * changes follower is down keeps serving from its snapshot (DESIGN.md, invariant 3) — but the details say
 * whether changes are being followed and how fresh they are.
 */
public class SnapshotHealthIndicator implements HealthIndicator {

    private final RelaySnapshot snapshot;
    private final ChangeFollower follower;
    private final SnapshotLoader loader;

    public SnapshotHealthIndicator(RelaySnapshot snapshot, ChangeFollower follower, SnapshotLoader loader) {
        this.snapshot = snapshot;
        this.follower = follower;
        this.loader = loader;
    }

    @Override
    public Health health() {
        Health.Builder builder = snapshot.loaded() ? Health.up() : Health.down();
        builder.withDetail("loaded", snapshot.loaded())
                .withDetail("changesFollowing", follower.following())
                .withDetail("followerConnected", follower.connected());
        withInstant(builder, "lastChangeAppliedAt", follower.lastChangeAt());
        withInstant(builder, "lastPollAt", follower.lastPollAt());
        if (follower.lastFailure() != null) {
            builder.withDetail("lastFollowFailure", follower.lastFailure());
        }
        String failure = loader.lastFailure();
        if (failure != null) {
            builder.withDetail("lastLoadFailure", failure);
        }
        return builder.build();
    }

    private static void withInstant(Health.Builder builder, String name, Instant at) {
        if (at != null) {
            builder.withDetail(name, at.toString());
        }
    }
}
