package dev.tollgate.ledger.redemption;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code redemption_codes} table; times are written and read as UTC wall-clock values. */
@Repository
class RedemptionCodeRepository {

    /** Rows per INSERT statement: 10,000 codes become 10 statements of about 150 kB each. */
    static final int INSERT_CHUNK = 1_000;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    RedemptionCodeRepository(JdbcTemplate jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    /** A code as stored, for a redemption and for telling why one failed. */
    record StoredCode(long id, String batchName, long amountMicros, Instant expiresAt, Long redeemedBy) {
    }

    boolean batchExists(String batchName) {
        return !jdbc.queryForList("SELECT id FROM redemption_codes WHERE batch_name = ? LIMIT 1", Long.class,
                batchName).isEmpty();
    }

    /** Which of these hashes are stored already. */
    Set<String> existingHashes(Collection<String> hashes) {
        Set<String> out = new HashSet<>();
        List<String> all = List.copyOf(hashes);
        for (int from = 0; from < all.size(); from += INSERT_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + INSERT_CHUNK));
            named.query("SELECT code_hash FROM redemption_codes WHERE code_hash IN (:hashes)",
                    Map.of("hashes", chunk), rs -> {
                        out.add(rs.getString(1));
                    });
        }
        return out;
    }

    /** Inserts the batch with multi-row INSERTs of at most {@link #INSERT_CHUNK} rows each. */
    void insertBatch(String batchName, long amountMicros, List<String> hashes, List<String> prefixes,
            Instant expiresAt) {
        LocalDateTime expiry = expiresAt == null ? null : utc(expiresAt);
        for (int from = 0; from < hashes.size(); from += INSERT_CHUNK) {
            int to = Math.min(hashes.size(), from + INSERT_CHUNK);
            StringBuilder sql = new StringBuilder(
                    "INSERT INTO redemption_codes (batch_name, code_hash, prefix, amount_micros, expires_at) VALUES ");
            List<Object> args = new ArrayList<>((to - from) * 5);
            for (int i = from; i < to; i++) {
                sql.append(i == from ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)");
                args.add(batchName);
                args.add(hashes.get(i));
                args.add(prefixes.get(i));
                args.add(amountMicros);
                args.add(expiry);
            }
            jdbc.update(sql.toString(), args.toArray());
        }
    }

    /**
     * Marks the code redeemed by this user if it is neither redeemed nor expired at {@code now}; true
     * when this call did it. The row stays locked until commit, so a concurrent redemption waits and
     * then matches nothing.
     */
    boolean claim(String codeHash, long userId, Instant now) {
        LocalDateTime at = utc(now);
        return jdbc.update("UPDATE redemption_codes SET redeemed_by = ?, redeemed_at = ?, version = version + 1 "
                + "WHERE code_hash = ? AND redeemed_by IS NULL AND (expires_at IS NULL OR expires_at > ?)",
                userId, at, codeHash, at) == 1;
    }

    void linkJournal(long codeId, long journalId) {
        jdbc.update("UPDATE redemption_codes SET journal_id = ? WHERE id = ?", journalId, codeId);
    }

    /**
     * The code as last committed: a locking read, since a plain one would answer from the transaction's
     * snapshot, which may predate the concurrent redemption that made the claim fail.
     */
    Optional<StoredCode> lockAndRead(String codeHash) {
        return jdbc.query("SELECT id, batch_name, amount_micros, expires_at, redeemed_by FROM redemption_codes "
                        + "WHERE code_hash = ? FOR UPDATE",
                (rs, i) -> {
                    LocalDateTime expiry = rs.getObject("expires_at", LocalDateTime.class);
                    long redeemedBy = rs.getLong("redeemed_by");
                    Long redeemer = rs.wasNull() ? null : redeemedBy;
                    return new StoredCode(rs.getLong("id"), rs.getString("batch_name"), rs.getLong("amount_micros"),
                            expiry == null ? null : expiry.toInstant(ZoneOffset.UTC), redeemer);
                }, codeHash).stream().findFirst();
    }

    private static LocalDateTime utc(Instant at) {
        return LocalDateTime.ofInstant(at.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    }
}
