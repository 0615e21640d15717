package dev.tollgate.admin.db;

import dev.tollgate.contracts.json.Json;
import io.r2dbc.spi.Row;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;

/** Reading columns the way every repository here needs them: UTC instants, JSON kept as TEXT. */
public final class Rows {

    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private Rows() {
    }

    /** The session runs in UTC (connectionTimeZone=UTC), so a TIMESTAMP comes back as UTC wall time. */
    public static Instant instant(Row row, String column) {
        LocalDateTime t = row.get(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    /** An Instant as the UTC wall time a TIMESTAMP column compares against. */
    public static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static long longValue(Row row, String column) {
        Number n = row.get(column, Number.class);
        return n == null ? 0 : n.longValue();
    }

    public static Long nullableLong(Row row, String column) {
        Number n = row.get(column, Number.class);
        return n == null ? null : n.longValue();
    }

    public static Integer nullableInt(Row row, String column) {
        Number n = row.get(column, Number.class);
        return n == null ? null : n.intValue();
    }

    public static boolean bool(Row row, String column) {
        Object v = row.get(column);
        if (v instanceof Boolean b) {
            return b;
        }
        return v instanceof Number n && n.intValue() != 0;
    }

    public static List<String> stringList(Row row, String column) {
        String text = row.get(column, String.class);
        return text == null || text.isBlank() ? List.of() : Json.mapper().readValue(text, STRING_LIST);
    }

    public static Map<String, Object> objectMap(Row row, String column) {
        String text = row.get(column, String.class);
        return text == null || text.isBlank() ? Map.of() : Json.mapper().readValue(text, OBJECT_MAP);
    }

    public static Map<String, String> stringMap(Row row, String column) {
        String text = row.get(column, String.class);
        return text == null || text.isBlank() ? Map.of() : Json.mapper().readValue(text, STRING_MAP);
    }
}
