package dev.tollgate.ledger.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps the daily partitions of the request log and of the captured bodies beside it (request_bodies, partitioned
 * the same way): splits {@code p_future} into one partition per day up to {@code today + ahead}, and drops whole
 * partitions whose days are all older than {@code today − retention} (never a mass DELETE), after noting what each
 * log partition charged (request_log_dropped). Partition names and bounds are read from information_schema, so
 * the same code runs on MariaDB and MySQL. One ledger at a time: the work runs under
 * {@code GET_LOCK('tollgate_partitions', 0)} on one connection; a ledger that does not get it skips.
 */
@Component
public class PartitionMaintenance {

    static final String LOCK = "tollgate_partitions";
    static final String TABLE = "request_log";
    static final String BODIES = "request_bodies";
    static final String FUTURE = "p_future";

    private static final Logger log = LoggerFactory.getLogger(PartitionMaintenance.class);

    private final JdbcTemplate jdbc;

    PartitionMaintenance(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * What one run did; {@code ran} is false when another ledger held the lock. {@code created}/{@code dropped}
     * name the request log's partitions, {@code bodiesCreated}/{@code bodiesDropped} those of request_bodies.
     */
    public record Result(boolean ran, List<String> created, List<String> dropped, List<String> bodiesCreated,
            List<String> bodiesDropped) {
    }

    public Result maintain(LocalDate today, int ahead, int retentionDays) {
        return jdbc.execute((ConnectionCallback<Result>) con -> {
            if (!lock(con)) {
                log.debug("Partition job skipped: another ledger holds {}", LOCK);
                return new Result(false, List.of(), List.of(), List.of(), List.of());
            }
            try {
                LocalDate cutoff = today.minusDays(retentionDays);
                List<String> created = createAhead(con, TABLE, today, ahead);
                List<String> bodiesCreated = createAhead(con, BODIES, today, ahead);
                List<String> dropped = dropOlderThan(con, TABLE, cutoff);
                List<String> bodiesDropped = dropOlderThan(con, BODIES, cutoff);
                if (!created.isEmpty() || !dropped.isEmpty() || !bodiesCreated.isEmpty() || !bodiesDropped.isEmpty()) {
                    log.info("Request log partitions: created {}, dropped {}; captured bodies: created {}, dropped {}",
                            created, dropped, bodiesCreated, bodiesDropped);
                }
                return new Result(true, created, dropped, bodiesCreated, bodiesDropped);
            } finally {
                release(con);
            }
        });
    }

    /** The partitions of the request log in bound order (MAXVALUE last). */
    public List<LogPartition> partitions() {
        return jdbc.execute((ConnectionCallback<List<LogPartition>>) con -> partitions(con, TABLE));
    }

    /** The partitions of the captured bodies in bound order (MAXVALUE last). */
    public List<LogPartition> bodyPartitions() {
        return jdbc.execute((ConnectionCallback<List<LogPartition>>) con -> partitions(con, BODIES));
    }

    /**
     * Splits p_future so that every day up to {@code today + ahead} has a partition. When the highest
     * bound is before today (first run, or the ledger was down), one partition first takes everything
     * from there up to today, so each later partition is exactly one day.
     */
    private static List<String> createAhead(Connection con, String table, LocalDate today, int ahead)
            throws SQLException {
        List<LogPartition> parts = partitions(con, table);
        if (parts.stream().noneMatch(p -> FUTURE.equals(p.name()))) {
            throw new IllegalStateException(table + " has no " + FUTURE + " partition (migrations V3/V8 not applied?)");
        }
        long highest = parts.stream().filter(LogPartition::bounded).mapToLong(LogPartition::upperToDays).max()
                .orElse(LogPartition.toDays(today));
        long last = LogPartition.toDays(today.plusDays(ahead)); // the last day that must have a partition
        List<String> definitions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        long todayDays = LogPartition.toDays(today);
        if (highest < todayDays) {
            add(definitions, names, LogPartition.fromToDays(todayDays - 1), todayDays);
            highest = todayDays;
        }
        for (long day = highest; day <= last; day++) {
            add(definitions, names, LogPartition.fromToDays(day), day + 1);
        }
        if (definitions.isEmpty()) {
            return List.of();
        }
        definitions.add("PARTITION " + FUTURE + " VALUES LESS THAN MAXVALUE");
        try (Statement st = con.createStatement()) {
            st.execute("ALTER TABLE " + table + " REORGANIZE PARTITION " + FUTURE + " INTO ("
                    + String.join(", ", definitions) + ")");
        }
        return names;
    }

    private static void add(List<String> definitions, List<String> names, LocalDate day, long upperToDays) {
        String name = LogPartition.nameFor(day);
        definitions.add("PARTITION " + name + " VALUES LESS THAN (" + upperToDays + ")");
        names.add(name);
    }

    /**
     * Drops every bounded partition whose exclusive bound is at or before the cutoff: all its days are older. What a
     * request-log partition charged is kept first.
     */
    private static List<String> dropOlderThan(Connection con, String table, LocalDate cutoff) throws SQLException {
        long cutoffDays = LogPartition.toDays(cutoff);
        List<String> old = partitions(con, table).stream()
                .filter(LogPartition::bounded)
                .filter(p -> p.upperToDays() <= cutoffDays)
                .map(LogPartition::name)
                .toList();
        if (old.isEmpty()) {
            return List.of();
        }
        if (TABLE.equals(table)) {
            for (String name : old) {
                recordCharges(con, name);
            }
        }
        try (Statement st = con.createStatement()) {
            st.execute("ALTER TABLE " + table + " DROP PARTITION " + String.join(", ", old));
        }
        return old;
    }

    /**
     * Keeps what the partition charged, per user and key, for reconciliation. Idempotent: a run that
     * dies between this and the DROP writes the same sums again next time.
     */
    private static void recordCharges(Connection con, String partition) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("INSERT INTO request_log_dropped "
                + "(partition_name, user_id, key_id, requests, charged_micros) "
                + "SELECT ?, user_id, key_id, COUNT(*), SUM(cost_micros) FROM " + TABLE + " PARTITION (" + partition
                + ") WHERE batch_ref IS NOT NULL GROUP BY user_id, key_id "
                + "ON DUPLICATE KEY UPDATE requests = VALUES(requests), charged_micros = VALUES(charged_micros)")) {
            ps.setString(1, partition);
            ps.executeUpdate();
        }
    }

    private static List<LogPartition> partitions(Connection con, String table) throws SQLException {
        List<LogPartition> out = new ArrayList<>();
        try (PreparedStatement ps = con.prepareStatement("SELECT PARTITION_NAME, PARTITION_DESCRIPTION "
                + "FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? "
                + "AND PARTITION_NAME IS NOT NULL ORDER BY PARTITION_ORDINAL_POSITION")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String bound = rs.getString(2);
                    out.add(new LogPartition(rs.getString(1),
                            bound == null || bound.equalsIgnoreCase("MAXVALUE") ? null : Long.parseLong(bound.trim())));
                }
            }
        }
        return out;
    }

    private static boolean lock(Connection con) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            ps.setString(1, LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
    }

    private static void release(Connection con) {
        try (PreparedStatement ps = con.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            ps.setString(1, LOCK);
            ps.executeQuery().close();
        } catch (SQLException e) {
            log.warn("Could not release {}: {} (released when the connection closes)", LOCK, e.getMessage());
        }
    }
}
