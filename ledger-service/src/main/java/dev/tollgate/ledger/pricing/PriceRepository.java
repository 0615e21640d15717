package dev.tollgate.ledger.pricing;

import dev.tollgate.contracts.money.Price;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads and writes of {@code prices} and {@code user_groups}. */
@Repository
public class PriceRepository {

    private static final String PRICE_COLUMNS = "model, version, input_micros_per_mtok, output_micros_per_mtok, "
            + "cached_input_micros_per_mtok, cache_write_micros_per_mtok, per_request_micros, per_image_micros, "
            + "per_audio_second_micros, output_reserve_tokens, reasoning_micros_per_mtok";
    /** Pairs per statement, so a statement stays small whatever the batch. */
    private static final int CHUNK = 200;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    PriceRepository(JdbcTemplate jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    /** Exactly these {@code (model, version)} rows, those that exist: model → version → price. */
    Map<String, Map<Long, Price>> pricesAt(Collection<PriceRef> refs) {
        Map<String, Map<Long, Price>> out = new HashMap<>();
        List<PriceRef> all = List.copyOf(refs);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<PriceRef> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            String tuples = String.join(", ", Collections.nCopies(chunk.size(), "(?, ?)"));
            List<Object> args = new ArrayList<>(chunk.size() * 2);
            chunk.forEach(ref -> {
                args.add(ref.model());
                args.add(ref.version());
            });
            jdbc.query("SELECT " + PRICE_COLUMNS + " FROM prices WHERE (model, version) IN (" + tuples + ")",
                    rs -> {
                        put(out, rs);
                    }, args.toArray());
        }
        return out;
    }

    /**
     * For references whose version does not exist (or is 0): the latest version of each model, and
     * for each named version the latest at or before it. Portable: an OR-list of scalar subqueries.
     */
    Map<String, Map<Long, Price>> fallbackPrices(Collection<PriceRef> missing) {
        List<Object[]> clauses = new ArrayList<>();
        Set<String> models = new TreeSet<>();
        for (PriceRef ref : missing) {
            if (models.add(ref.model())) {
                clauses.add(new Object[] {ref.model(), ref.model()});
            }
            if (ref.version() > 0) {
                clauses.add(new Object[] {ref.model(), ref.model(), ref.version()});
            }
        }
        Map<String, Map<Long, Price>> out = new HashMap<>();
        for (int from = 0; from < clauses.size(); from += CHUNK) {
            List<Object[]> chunk = clauses.subList(from, Math.min(clauses.size(), from + CHUNK));
            List<String> sql = new ArrayList<>(chunk.size());
            List<Object> args = new ArrayList<>();
            for (Object[] clause : chunk) {
                sql.add(clause.length == 2
                        ? "(p.model = ? AND p.version = (SELECT MAX(q.version) FROM prices q WHERE q.model = ?))"
                        : "(p.model = ? AND p.version = (SELECT MAX(q.version) FROM prices q WHERE q.model = ? "
                                + "AND q.version <= ?))");
                args.addAll(List.of(clause));
            }
            jdbc.query("SELECT " + PRICE_COLUMNS + " FROM prices p WHERE " + String.join(" OR ", sql), rs -> {
                put(out, rs);
            }, args.toArray());
        }
        return out;
    }

    /** Multipliers of the groups named that exist. */
    Map<String, Long> multipliers(Collection<String> groups) {
        Map<String, Long> out = new HashMap<>();
        if (groups.isEmpty()) {
            return out;
        }
        named.query("SELECT name, multiplier_bp FROM user_groups WHERE name IN (:names)",
                Map.of("names", List.copyOf(groups)), rs -> {
                    out.put(rs.getString(1), rs.getLong(2));
                });
        return out;
    }

    /** Inserts the next version of a model's price (max + 1) and returns it. */
    public long insertNextVersion(String model, Price price, Long outputReserveTokens) {
        Long max = jdbc.queryForObject("SELECT MAX(version) FROM prices WHERE model = ? FOR UPDATE", Long.class, model);
        long version = (max == null ? 0 : max) + 1;
        jdbc.update("INSERT INTO prices (" + PRICE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                model, version, price.inputMicrosPerMTok(), price.outputMicrosPerMTok(),
                price.cachedInputMicrosPerMTok(), price.cacheWriteMicrosPerMTok(), price.perRequestMicros(),
                price.perImageMicros(), price.perAudioSecondMicros(), outputReserveTokens,
                price.reasoningMicrosPerMTok());
        return version;
    }

    public boolean groupExists(String name) {
        List<Integer> hit = jdbc.queryForList("SELECT 1 FROM user_groups WHERE name = ?", Integer.class, name);
        return !hit.isEmpty();
    }

    /** Creates or updates a group (its multiplier and rate limits, null = none); returns its new version. */
    public long upsertGroup(String name, long multiplierBp, Integer rpmLimit, Long tpmLimit) {
        jdbc.update("INSERT INTO user_groups (name, multiplier_bp, rpm_limit, tpm_limit, version) VALUES (?, ?, ?, ?, 1) "
                + "ON DUPLICATE KEY UPDATE multiplier_bp = VALUES(multiplier_bp), rpm_limit = VALUES(rpm_limit), "
                + "tpm_limit = VALUES(tpm_limit), version = version + 1, updated_at = CURRENT_TIMESTAMP(3)",
                name, multiplierBp, rpmLimit, tpmLimit);
        Long version = jdbc.queryForObject("SELECT version FROM user_groups WHERE name = ?", Long.class, name);
        return version == null ? 1 : version;
    }

    private static void put(Map<String, Map<Long, Price>> out, ResultSet rs) throws SQLException {
        out.computeIfAbsent(rs.getString("model"), m -> new HashMap<>()).put(rs.getLong("version"), price(rs));
    }

    private static Price price(ResultSet rs) throws SQLException {
        return new Price(rs.getLong("input_micros_per_mtok"), rs.getLong("output_micros_per_mtok"),
                rs.getLong("cached_input_micros_per_mtok"), rs.getLong("cache_write_micros_per_mtok"),
                rs.getLong("per_request_micros"), rs.getLong("per_image_micros"),
                rs.getLong("per_audio_second_micros"), rs.getLong("reasoning_micros_per_mtok"));
    }
}
