package dev.tollgate.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a request ended, as the ledger and the logs see it. */
public enum UsageStatus {
    /** The upstream answered and the client got the whole answer. */
    @JsonProperty("success") SUCCESS,
    /** The client went away mid-answer; charged for what was generated. */
    @JsonProperty("cancelled") CANCELLED,
    /** The upstream failed (after every attempt); nothing or a partial answer was delivered. */
    @JsonProperty("upstream_error") UPSTREAM_ERROR,
    /** Refused before reaching any upstream (bad input, quota, unknown model). */
    @JsonProperty("rejected") REJECTED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
