package dev.tollgate.ledger.journal;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
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

    /** Rows per multi-row statement of the batch methods below. */
    private static final int CHUNK = 500;

    /** One journal entry of a batch; {@code note} may be null. */
    public record Entry(long userId, JournalKind kind, long amountMicros, long balanceAfter, String ref, String note,
            int requestCount) {
    }

    /**
     * Moves many balances at once: one UPDATE per chunk of users in ascending id order (the lock order
     * every writer uses), then one SELECT reading them back. Users that do not exist are absent from
     * the answer and nothing happened to them.
     */
    public Map<Long, Balance> moveAll(Map<Long, Long> deltaByUser) {
        Map<Long, Balance> out = new HashMap<>();
        List<Map.Entry<Long, Long>> all = new ArrayList<>(new TreeMap<>(deltaByUser).entrySet());
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<Map.Entry<Long, Long>> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            List<Object> args = new ArrayList<>(chunk.size() * 3);
            chunk.forEach(e -> {
                args.add(e.getKey());
                args.add(e.getValue());
            });
            chunk.forEach(e -> args.add(e.getKey()));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            jdbc.update("UPDATE users SET balance_micros = balance_micros + CASE id "
                    + String.join(" ", Collections.nCopies(chunk.size(), "WHEN ? THEN ?"))
                    + " END, balance_version = balance_version + 1 WHERE id IN (" + marks + ")", args.toArray());
            jdbc.query("SELECT id, balance_micros, balance_version FROM users WHERE id IN (" + marks + ")", rs -> {
                out.put(rs.getLong(1), new Balance(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
            }, chunk.stream().map(Map.Entry::getKey).toArray());
        }
        return out;
    }

    /** Appends many journal entries: one multi-row INSERT per chunk. */
    public void appendAll(List<Entry> entries) {
        for (int from = 0; from < entries.size(); from += CHUNK) {
            List<Entry> chunk = entries.subList(from, Math.min(entries.size(), from + CHUNK));
            List<Object> args = new ArrayList<>(chunk.size() * 7);
            for (Entry e : chunk) {
                args.add(e.userId());
                args.add(e.kind().column());
                args.add(e.amountMicros());
                args.add(e.balanceAfter());
                args.add(e.ref());
                args.add(e.note());
                args.add(e.requestCount());
            }
            jdbc.update("INSERT INTO journal (user_id, kind, amount_micros, balance_after, ref, note, request_count) "
                    + "VALUES " + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?, ?, ?, ?, ?)")),
                    args.toArray());
        }
    }

    /** Raises many relay sequence numbers, never lowering one: user id → relay id → seq, upserted in key order. */
    public void raiseRelaySeqs(Map<Long, Map<String, Long>> seqs) {
        List<Object[]> rows = new ArrayList<>();
        new TreeMap<>(seqs).forEach((user, byRelay) -> new TreeMap<>(byRelay).forEach((relay, seq) ->
                rows.add(new Object[] {user, relay, seq})));
        for (int from = 0; from < rows.size(); from += CHUNK) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
            List<Object> args = new ArrayList<>(chunk.size() * 3);
            chunk.forEach(r -> args.addAll(List.of(r)));
            jdbc.update("INSERT INTO relay_seqs (user_id, relay_id, seq) VALUES "
                    + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?)"))
                    + " ON DUPLICATE KEY UPDATE seq = GREATEST(seq, VALUES(seq))", args.toArray());
        }
    }
}
