package dev.tollgate.ledger.commands;

import dev.tollgate.contracts.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;

/** JSON kept in TEXT columns (portable across MariaDB and MySQL), and UTC times. */
final class JsonColumns {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private JsonColumns() {
    }

    static String write(Object value) {
        return value == null ? null : Json.mapper().writeValueAsString(value);
    }

    static List<String> strings(String json) {
        return json == null || json.isBlank() ? List.of() : Json.mapper().readValue(json, STRINGS);
    }

    static Map<String, Object> object(String json) {
        return json == null || json.isBlank() ? Map.of() : Json.mapper().readValue(json, OBJECT);
    }

    static Map<String, String> stringMap(String json) {
        return json == null || json.isBlank() ? Map.of() : Json.mapper().readValue(json, STRING_MAP);
    }

    static LocalDateTime utc(Instant at) {
        return at == null ? null : LocalDateTime.ofInstant(at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
