package dev.tollgate.ledger.redemption;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.ledger.journal.Balance;
import dev.tollgate.ledger.journal.JournalKind;
import dev.tollgate.ledger.journal.JournalRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Redemption codes: CreateRedemptionCodes stores a batch of code hashes, RedeemCode credits one code's
 * amount to a user exactly once. Both run inside the command processor's transaction, which also
 * stores the command id, so a command is applied once however often it is delivered.
 */
@Component
public class RedemptionCommands {

    static final int MAX_CODES = 10_000;
    static final int MAX_BATCH_NAME = 128;
    static final int MAX_PREFIX = 16;
    private static final int MAX_NOTE = 512;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final RedemptionCodeRepository codes;
    private final JournalRepository journal;
    private final Clock clock;

    RedemptionCommands(RedemptionCodeRepository codes, JournalRepository journal, Clock clock) {
        this.codes = codes;
        this.journal = journal;
        this.clock = clock;
    }

    public RedemptionOutcome create(Command.CreateRedemptionCodes c) {
        Optional<RedemptionOutcome> invalid = check(c);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        if (codes.batchExists(c.batchName())) {
            return RedemptionOutcome.rejected(RedemptionOutcome.CONFLICT,
                    "a redemption batch named " + c.batchName() + " already exists");
        }
        Set<String> taken = codes.existingHashes(c.codeHashes());
        if (!taken.isEmpty()) {
            return RedemptionOutcome.rejected(RedemptionOutcome.CONFLICT,
                    taken.size() + " of the code hashes are already stored");
        }
        codes.insertBatch(c.batchName(), c.amountMicros(), c.codeHashes(), c.prefixes(), c.expiresAt());
        return RedemptionOutcome.applied("redemption_batch", c.batchName(), 1);
    }

    /**
     * Claims the code with one conditional UPDATE, then credits the user as a top-up does. When the
     * UPDATE matches nothing, a read of the row tells unknown, already redeemed and expired apart.
     */
    public RedemptionOutcome redeem(Command.RedeemCode c) {
        if (c.codeHash() == null || !SHA256_HEX.matcher(c.codeHash()).matches()) {
            return RedemptionOutcome.rejected(RedemptionOutcome.NOT_FOUND, RedemptionMessages.UNKNOWN_CODE);
        }
        if (journal.existingUsers(List.of(c.userId())).isEmpty()) {
            return RedemptionOutcome.rejected(RedemptionOutcome.NOT_FOUND, "no such user: " + c.userId());
        }
        Instant now = clock.instant();
        if (!codes.claim(c.codeHash(), c.userId(), now)) {
            return whyNotRedeemable(c.codeHash(), now);
        }
        RedemptionCodeRepository.StoredCode code = codes.lockAndRead(c.codeHash()).orElseThrow();
        Balance balance = journal.move(c.userId(), code.amountMicros()).orElseThrow();
        long entryId = journal.append(c.userId(), JournalKind.REDEMPTION, code.amountMicros(),
                balance.balanceMicros(), Long.toString(code.id()), truncate(code.batchName(), MAX_NOTE), 0);
        codes.linkJournal(code.id(), entryId);
        Map<String, Long> relaySeqs = journal.relaySeqs(List.of(c.userId())).getOrDefault(c.userId(), Map.of());
        return RedemptionOutcome.applied("journal", Long.toString(entryId), balance.version(),
                new Change.BalanceChanged(c.userId(), balance.balanceMicros(), balance.version(), relaySeqs,
                        Map.of()));
    }

    private RedemptionOutcome whyNotRedeemable(String codeHash, Instant now) {
        Optional<RedemptionCodeRepository.StoredCode> found = codes.lockAndRead(codeHash);
        if (found.isEmpty()) {
            return RedemptionOutcome.rejected(RedemptionOutcome.NOT_FOUND, RedemptionMessages.UNKNOWN_CODE);
        }
        RedemptionCodeRepository.StoredCode code = found.get();
        if (code.redeemedBy() != null) {
            return RedemptionOutcome.rejected(RedemptionOutcome.CONFLICT, RedemptionMessages.ALREADY_REDEEMED);
        }
        return RedemptionOutcome.rejected(RedemptionOutcome.INVALID, RedemptionMessages.EXPIRED);
    }

    private static Optional<RedemptionOutcome> check(Command.CreateRedemptionCodes c) {
        if (c.batchName() == null || c.batchName().isBlank()) {
            return invalid("batchName is required");
        }
        if (c.batchName().length() > MAX_BATCH_NAME) {
            return invalid("batchName is longer than " + MAX_BATCH_NAME);
        }
        if (c.amountMicros() <= 0) {
            return invalid("amountMicros must be positive");
        }
        List<String> hashes = c.codeHashes();
        if (hashes == null || hashes.isEmpty() || hashes.size() > MAX_CODES) {
            return invalid("a batch holds 1 to " + MAX_CODES + " codes");
        }
        if (c.prefixes() == null || c.prefixes().size() != hashes.size()) {
            return invalid("prefixes must match codeHashes one to one");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < hashes.size(); i++) {
            String hash = hashes.get(i);
            if (hash == null || !SHA256_HEX.matcher(hash).matches()) {
                return invalid("codeHashes[" + i + "] is not a lower-case SHA-256 hex digest");
            }
            if (!seen.add(hash)) {
                return invalid("codeHashes[" + i + "] repeats an earlier hash");
            }
            String prefix = c.prefixes().get(i);
            if (prefix == null || prefix.isBlank() || prefix.length() > MAX_PREFIX) {
                return invalid("prefixes[" + i + "] must be 1 to " + MAX_PREFIX + " characters");
            }
        }
        return Optional.empty();
    }

    private static Optional<RedemptionOutcome> invalid(String message) {
        return Optional.of(RedemptionOutcome.rejected(RedemptionOutcome.INVALID, message));
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
