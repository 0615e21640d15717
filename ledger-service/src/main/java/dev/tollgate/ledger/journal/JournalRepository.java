package dev.tollgate.ledger.journal;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Balances and their journal. A balance only moves together with a journal entry, in the same
 * transaction, so a balance is always the sum of its journal.
 */
@Repository
public class JournalRepository {

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    JournalRepository(JdbcTemplate jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    /**
     * Moves a user's balance by {@code deltaMicros} (the row stays locked until commit) and reads
     * back the result; empty when the user does not exist.
     */
    public Optional<Balance> move(long userId, long deltaMicros) {
        int updated = jdbc.update("UPDATE users SET balance_micros = balance_micros + ?, "
                + "balance_version = balance_version + 1 WHERE id = ?", deltaMicros, userId);
        if (updated == 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(jdbc.queryForObject(
                "SELECT balance_micros, balance_version FROM users WHERE id = ?",
                (rs, i) -> new Balance(userId, rs.getLong(1), rs.getLong(2)), userId));
    }

    /** Which of these users exist. */
    public Set<Long> existingUsers(Collection<Long> userIds) {
        Set<Long> out = new HashSet<>();
        if (userIds.isEmpty()) {
            return out;
        }
        named.query("SELECT id FROM users WHERE id IN (:ids)", Map.of("ids", List.copyOf(userIds)), rs -> {
            out.add(rs.getLong(1));
        });
        return out;
    }

    public Optional<Balance> balance(long userId) {
        return jdbc.query("SELECT balance_micros, balance_version FROM users WHERE id = ?",
                (rs, i) -> new Balance(userId, rs.getLong(1), rs.getLong(2)), userId).stream().findFirst();
    }

    /** Appends one journal entry and returns its id. */
    public long append(long userId, JournalKind kind, long amountMicros, long balanceAfter, String ref, String note,
            int requestCount) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("INSERT INTO journal "
                    + "(user_id, kind, amount_micros, balance_after, ref, note, request_count) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
            ps.setLong(1, userId);
            ps.setString(2, kind.column());
            ps.setLong(3, amountMicros);
            ps.setLong(4, balanceAfter);
            ps.setString(5, ref);
            ps.setString(6, note);
            ps.setInt(7, requestCount);
            return ps;
        }, keys);
        return keys.getKey().longValue();
    }

    /** Per user, every relay's highest applied sequence number. */
    public Map<Long, Map<String, Long>> relaySeqs(Collection<Long> userIds) {
        Map<Long, Map<String, Long>> out = new HashMap<>();
        if (userIds.isEmpty()) {
            return out;
        }
        named.query("SELECT user_id, relay_id, seq FROM relay_seqs WHERE user_id IN (:ids)",
                Map.of("ids", List.copyOf(userIds)), rs -> {
                    out.computeIfAbsent(rs.getLong(1), u -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
                });
        return out;
    }

    /** Raises a relay's sequence number for a user, never lowering it. */
    public void raiseRelaySeq(long userId, String relayId, long seq) {
        jdbc.update("INSERT INTO relay_seqs (user_id, relay_id, seq) VALUES (?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE seq = GREATEST(seq, VALUES(seq))", userId, relayId, seq);
    }
}
