package dev.tollgate.relay.snapshot;

/** Told when the snapshot learns that a user's balance includes this relay's usage events up to {@code seq}. */
@FunctionalInterface
public interface BalanceListener {

    void balanceIncludes(long userId, long seq);
}
