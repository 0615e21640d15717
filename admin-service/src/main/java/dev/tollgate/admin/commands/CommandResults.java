package dev.tollgate.admin.commands;

import dev.tollgate.admin.web.ApiException;
import dev.tollgate.contracts.events.Change;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/** What a ledger answer means to an HTTP client. */
public final class CommandResults {

    /** The ledger's answer to a command id sent again for a different request (another fingerprint). */
    public static final String IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused";

    private CommandResults() {
    }

    /** The result itself when ok; a rejection becomes the matching HTTP error with the ledger's code and message. */
    public static Change.CommandResult requireOk(Change.CommandResult result) {
        if (result.ok()) {
            return result;
        }
        throw rejection(result);
    }

    public static ApiException rejection(Change.CommandResult result) {
        String code = result.code() == null ? "rejected" : result.code();
        String message = result.message() == null ? "the ledger rejected the change" : result.message();
        return new ApiException(statusOf(code), code, message);
    }

    static HttpStatus statusOf(String code) {
        return switch (code) {
            case "conflict" -> HttpStatus.CONFLICT;
            case "not_found" -> HttpStatus.NOT_FOUND;
            case "invalid" -> HttpStatus.BAD_REQUEST;
            case IDEMPOTENCY_KEY_REUSED -> HttpStatus.UNPROCESSABLE_CONTENT;
            default -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
    }

    /** 422 {@code idempotency_key_reused}: the key already names another request, whose answer is not the caller's. */
    public static ApiException keyReused() {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, IDEMPOTENCY_KEY_REUSED,
                "this Idempotency-Key was already used for a different request; use a new key");
    }

    /** The id of the entity touched, when the ledger names it by number. */
    public static Optional<Long> numericEntityId(Change.CommandResult result) {
        String id = result.entityId();
        if (id == null) {
            return Optional.empty();
        }
        int colon = id.lastIndexOf(':');
        String digits = colon >= 0 ? id.substring(colon + 1) : id;
        try {
            return Optional.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
