package dev.tollgate.relay.snapshot;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Readiness: DOWN until the snapshot is loaded; details say whether the changes follower is connected. */
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
                .withDetail("followerRunning", follower.following())
                .withDetail("followerConnected", follower.connected());
        String failure = loader.lastFailure();
        if (failure != null) {
            builder.withDetail("lastLoadFailure", failure);
        }
        return builder.build();
    }
}
