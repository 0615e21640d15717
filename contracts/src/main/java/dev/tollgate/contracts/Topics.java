package dev.tollgate.contracts;

/**
 * Kafka topic names. A prefix lets several deployments (or test classes) share one cluster;
 * production runs with the empty prefix.
 */
public record Topics(String prefix) {

    public static final Topics DEFAULT = new Topics("");

    public Topics {
        prefix = prefix == null ? "" : prefix;
    }

    public String usage() {
        return prefix + "tollgate.usage.v1";
    }

    public String commands() {
        return prefix + "tollgate.commands.v1";
    }

    public String changes() {
        return prefix + "tollgate.changes.v1";
    }

    public String usageDlq() {
        return prefix + "tollgate.usage.dlq.v1";
    }

    /** Relays' rate-limit window counts, shared about once a second; short-lived, never replayed. */
    public String rateLimits() {
        return prefix + "tollgate.ratelimits.v1";
    }
}
