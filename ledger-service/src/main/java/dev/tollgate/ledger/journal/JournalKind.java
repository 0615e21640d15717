package dev.tollgate.ledger.journal;

/** Kinds of journal entries, as stored in {@code journal.kind}. */
public enum JournalKind {
    TOPUP("topup"),
    ADJUSTMENT("adjustment"),
    USAGE("usage"),
    REDEMPTION("redemption");

    private final String column;

    JournalKind(String column) {
        this.column = column;
    }

    public String column() {
        return column;
    }
}
