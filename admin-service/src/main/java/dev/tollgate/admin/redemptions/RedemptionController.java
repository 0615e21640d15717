package dev.tollgate.admin.redemptions;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.commands.CommandGateway;
import dev.tollgate.admin.commands.CommandResults;
import dev.tollgate.admin.commands.WriteRequest;
import dev.tollgate.admin.db.ReadBack;
import dev.tollgate.admin.web.ApiException;
import dev.tollgate.admin.web.Page;
import dev.tollgate.admin.web.Paging;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Redemption codes: an admin creates and lists batches, any signed-in user redeems a code. */
@RestController
public class RedemptionController {

    static final String JOURNAL_ENTITY = "journal";
    static final String REDEMPTION_KIND = "redemption";

    private final RedemptionRepository redemptions;
    private final CommandGateway gateway;
    private final Clock clock;

    public RedemptionController(RedemptionRepository redemptions, CommandGateway gateway, Clock clock) {
        this.redemptions = redemptions;
        this.gateway = gateway;
        this.clock = clock;
    }

    /** What a redemption's fingerprint covers: the code's hash, so the code itself is kept nowhere. */
    record RedeemFingerprint(String codeHash, long userId) {
    }

    @PostMapping("/api/redemptions")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<CreatedBatchView> create(Caller caller, WriteRequest write,
            @RequestBody RedemptionRequests.CreateBatch body) {
        caller.requireAdmin();
        body.validate(clock.instant());
        String commandId = write.commandId(caller.actor());
        // Taken before the codes are generated: a retry gets other codes but must send the same fingerprint.
        String fingerprint = write.fingerprint(body);
        List<String> codes = newCodes(body.count());
        List<String> hashes = codes.stream().map(RedemptionCodes::hash).toList();
        List<String> prefixes = codes.stream().map(RedemptionCodes::displayPrefix).toList();
        Command.CreateRedemptionCodes command = new Command.CreateRedemptionCodes(body.name(), body.amountMicros(),
                hashes, prefixes, body.expiresAt());
        return gateway.send(command, commandId, fingerprint, caller.actor())
                .map(CommandResults::requireOk)
                .flatMap(result -> ReadBack.committed(redemptions.batchExists(body.name()).filter(Boolean::booleanValue)))
                .flatMap(exists -> redemptions.batchHolds(body.name(), hashes.get(0)))
                .flatMap(ours -> ours ? Mono.just(new CreatedBatchView(body.name(), body.amountMicros(), codes.size(),
                        body.expiresAt(), codes)) : Mono.error(replayed()));
    }

    @GetMapping("/api/redemptions")
    public Mono<Page<BatchView>> list(Caller caller, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        caller.requireAdmin();
        return redemptions.batches(Paging.of(page, size));
    }

    @GetMapping("/api/redemptions/{name}/codes")
    public Mono<Page<CodeView>> codes(Caller caller, @PathVariable String name,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        caller.requireAdmin();
        return redemptions.codes(name, Paging.of(page, size))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("redemption batch")));
    }

    @PostMapping("/api/redemptions/redeem")
    public Mono<RedeemedView> redeem(Caller caller, WriteRequest write, @RequestBody RedemptionRequests.Redeem body) {
        body.validate();
        long userId = beneficiary(caller, body.userId());
        String code = body.code().trim();
        if (!RedemptionCodes.looksValid(code)) {
            return Mono.error(RedemptionRejections.unknownCode());
        }
        String hash = RedemptionCodes.hash(code);
        String commandId = write.commandId(caller.actor());
        String fingerprint = write.fingerprint(new RedeemFingerprint(hash, userId));
        return redemptions.userExists(userId)
                .flatMap(exists -> exists ? gateway.send(new Command.RedeemCode(hash, userId), commandId, fingerprint,
                        caller.actor()) : Mono.error(ApiException.notFound("user")))
                .map(RedemptionController::requireRedeemed)
                .flatMap(result -> creditOf(result, userId));
    }

    /** Whom a redemption credits: a customer always themself, an admin whoever they name (else themself). */
    static long beneficiary(Caller caller, Long requested) {
        if (requested == null || requested == caller.userId()) {
            return caller.userId();
        }
        if (!caller.isAdmin()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "a customer can only redeem a code for themself");
        }
        return requested;
    }

    static Change.CommandResult requireRedeemed(Change.CommandResult result) {
        if (!result.ok()) {
            throw RedemptionRejections.of(result);
        }
        if (!JOURNAL_ENTITY.equals(result.entity())) {
            // The command id answered for something else: the Idempotency-Key named another request.
            throw CommandResults.keyReused();
        }
        return result;
    }

    private Mono<RedeemedView> creditOf(Change.CommandResult result, long userId) {
        long journalId = CommandResults.numericEntityId(result).orElseThrow(CommandResults::keyReused);
        return ReadBack.committed(redemptions.credit(journalId))
                .map(credit -> {
                    if (credit.userId() != userId || !REDEMPTION_KIND.equals(credit.kind())) {
                        throw CommandResults.keyReused();
                    }
                    return new RedeemedView(credit.amountMicros(), credit.balanceAfterMicros(), journalId);
                });
    }

    /** Distinct codes: a repeat among 143-bit codes is next to impossible, but the ledger would refuse it. */
    private static List<String> newCodes(int count) {
        Set<String> codes = new LinkedHashSet<>();
        while (codes.size() < count) {
            codes.add(RedemptionCodes.generate());
        }
        return new ArrayList<>(codes);
    }

    /**
     * A repeated Idempotency-Key answers the first request's batch, whose codes were shown then and cannot
     * be shown again: answer 409 rather than codes that do not exist.
     */
    private static ApiException replayed() {
        return new ApiException(HttpStatus.CONFLICT, "conflict",
                "a batch was already created with this Idempotency-Key; its codes were shown only in that answer");
    }
}
