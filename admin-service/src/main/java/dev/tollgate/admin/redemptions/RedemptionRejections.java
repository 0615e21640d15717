package dev.tollgate.admin.redemptions;

import dev.tollgate.admin.commands.CommandResults;
import dev.tollgate.admin.web.ApiException;
import dev.tollgate.contracts.events.Change;
import org.springframework.http.HttpStatus;

/** What the ledger's refusal of a redemption means to the client that asked. */
final class RedemptionRejections {

    static final String CODE_NOT_FOUND = "code_not_found";
    static final String CODE_ALREADY_REDEEMED = "code_already_redeemed";
    static final String CODE_EXPIRED = "code_expired";
    private static final String NO_SUCH_USER = "no such user";

    private RedemptionRejections() {
    }

    /** 404 unknown, 409 already redeemed, 410 expired; anything else as every other command's rejection. */
    static ApiException of(Change.CommandResult result) {
        String code = result.code() == null ? "" : result.code();
        String message = result.message() == null ? "" : result.message();
        if ("not_found".equals(code) && message.startsWith(NO_SUCH_USER)) {
            return ApiException.notFound("user");
        }
        if ("not_found".equals(code)) {
            return unknownCode();
        }
        if ("conflict".equals(code)) {
            return new ApiException(HttpStatus.CONFLICT, CODE_ALREADY_REDEEMED, "this code was already redeemed");
        }
        // The ledger answers an expired code as invalid input, naming the expiry in its message.
        if ("invalid".equals(code) && message.contains("expired")) {
            return new ApiException(HttpStatus.GONE, CODE_EXPIRED, "this code has expired");
        }
        return CommandResults.rejection(result);
    }

    static ApiException unknownCode() {
        return new ApiException(HttpStatus.NOT_FOUND, CODE_NOT_FOUND, "no such redemption code");
    }
}
