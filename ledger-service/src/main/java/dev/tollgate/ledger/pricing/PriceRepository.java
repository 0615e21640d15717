package dev.tollgate.ledger.pricing;

import dev.tollgate.contracts.money.Price;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads and writes of {@code prices} and {@code user_groups}. */
@Repository
public class PriceRepository {

    private static final String PRICE_COLUMNS = "model, version, input_micros_per_mtok, output_micros_per_mtok, "
            + "cached_input_micros_per_mtok, cache_write_micros_per_mtok, per_request_micros, per_image_micros, "
            + "per_audio_second_micros, output_reserve_tokens";

    private final JdbcTemplate jdbc;

    PriceRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public PriceCatalog loadCatalog() {
        Map<String, Map<Long, Price>> prices = new HashMap<>();
        jdbc.query("SELECT " + PRICE_COLUMNS + " FROM prices", rs -> {
            prices.computeIfAbsent(rs.getString("model"), m -> new HashMap<>()).put(rs.getLong("version"), price(rs));
        });
        Map<String, PriceVersions> versions = new HashMap<>();
        prices.forEach((model, byVersion) -> versions.put(model, PriceVersions.of(byVersion)));
        Map<String, Long> groups = new HashMap<>();
        jdbc.query("SELECT name, multiplier_bp FROM user_groups", rs -> {
            groups.put(rs.getString(1), rs.getLong(2));
        });
        return new PriceCatalog(versions, groups);
    }

    public PriceVersions loadModel(String model) {
        Map<Long, Price> byVersion = new HashMap<>();
        jdbc.query("SELECT " + PRICE_COLUMNS + " FROM prices WHERE model = ?", rs -> {
            byVersion.put(rs.getLong("version"), price(rs));
        }, model);
        return PriceVersions.of(byVersion);
    }

    /** Inserts the next version of a model's price (max + 1) and returns it. */
    public long insertNextVersion(String model, Price price, Long outputReserveTokens) {
        Long max = jdbc.queryForObject("SELECT MAX(version) FROM prices WHERE model = ? FOR UPDATE", Long.class, model);
        long version = (max == null ? 0 : max) + 1;
        jdbc.update("INSERT INTO prices (" + PRICE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                model, version, price.inputMicrosPerMTok(), price.outputMicrosPerMTok(),
                price.cachedInputMicrosPerMTok(), price.cacheWriteMicrosPerMTok(), price.perRequestMicros(),
                price.perImageMicros(), price.perAudioSecondMicros(), outputReserveTokens);
        return version;
    }

    public boolean groupExists(String name) {
        List<Integer> hit = jdbc.queryForList("SELECT 1 FROM user_groups WHERE name = ?", Integer.class, name);
        return !hit.isEmpty();
    }

    /** Creates or updates a group; returns its new version. */
    public long upsertGroup(String name, long multiplierBp) {
        jdbc.update("INSERT INTO user_groups (name, multiplier_bp, version) VALUES (?, ?, 1) "
                + "ON DUPLICATE KEY UPDATE multiplier_bp = VALUES(multiplier_bp), version = version + 1, "
                + "updated_at = CURRENT_TIMESTAMP(3)", name, multiplierBp);
        Long version = jdbc.queryForObject("SELECT version FROM user_groups WHERE name = ?", Long.class, name);
        return version == null ? 1 : version;
    }

    private static Price price(ResultSet rs) throws SQLException {
        return new Price(rs.getLong("input_micros_per_mtok"), rs.getLong("output_micros_per_mtok"),
                rs.getLong("cached_input_micros_per_mtok"), rs.getLong("cache_write_micros_per_mtok"),
                rs.getLong("per_request_micros"), rs.getLong("per_image_micros"),
                rs.getLong("per_audio_second_micros"));
    }
}
