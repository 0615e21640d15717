package dev.tollgate.relay.snapshot;

/**
 * A user group, its price multiplier in basis points (10,000 = 1×) and its rate limits over all its users together
 * (null: none).
 */
public record GroupEntry(String name, long multiplierBp, long version, Integer rpmLimit, Long tpmLimit) {

    /** A group without rate limits. */
    public GroupEntry(String name, long multiplierBp, long version) {
        this(name, multiplierBp, version, null, null);
    }
}
