package dev.tollgate.contracts.upstream;

/**
 * What one probe of an upstream came to. {@code message} is generic and scrubbed of anything key-like, so it
 * may be shown to an admin and logged.
 *
 * @param status    the upstream's HTTP status, or 0 when there was none (no connection, timeout, unsupported)
 * @param latencyMs from sending the request to the whole answer
 */
public record ProbeResult(Verdict verdict, int status, long latencyMs, String message) {

    public enum Verdict {
        /** The upstream answered 2xx: the credentials and the account work. */
        OK,
        /** 401 or 403: the key is invalid or revoked. */
        CREDENTIALS_REJECTED,
        /** 402, or a refusal that names the account's credit, billing or deactivation. */
        ACCOUNT_PROBLEM,
        /** Any other status. */
        UPSTREAM_ERROR,
        UNREACHABLE,
        TIMED_OUT,
        /** This probe cannot call the provider (Bedrock needs the AWS SDK, which contracts does not carry). */
        UNSUPPORTED
    }

    public boolean ok() {
        return verdict == Verdict.OK;
    }

    public boolean supported() {
        return verdict != Verdict.UNSUPPORTED;
    }

    static ProbeResult unsupported(String provider) {
        return new ProbeResult(Verdict.UNSUPPORTED, 0, 0, "probing provider '" + provider + "' is not supported");
    }
}
