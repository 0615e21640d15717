package dev.tollgate.ledger.redemption;

/** The rejection messages of a redemption; admin tells "expired" apart from other invalid input by them. */
public final class RedemptionMessages {

    public static final String UNKNOWN_CODE = "unknown redemption code";
    public static final String ALREADY_REDEEMED = "code already redeemed";
    public static final String EXPIRED = "code expired";

    private RedemptionMessages() {
    }
}
