package dev.tollgate.contracts.upstream;

/** A model listing that did not succeed; {@link #result()} says why (its message is safe to show). */
public final class ProbeFailedException extends RuntimeException {

    private final transient ProbeResult result;

    public ProbeFailedException(ProbeResult result) {
        super(result.message(), null, false, false);
        this.result = result;
    }

    public ProbeResult result() {
        return result;
    }
}
