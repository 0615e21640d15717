package dev.tollgate.admin.audit;

import dev.tollgate.admin.db.Rows;
import dev.tollgate.admin.web.Page;
import dev.tollgate.admin.web.Paging;
import io.r2dbc.spi.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** The ledger's {@code audit_log}, read only. */
@Repository
public class AuditRepository {

    private static final String COLUMNS = "SELECT id, command_id, type, actor, target, ok, code, body, at FROM audit_log ";

    private final DatabaseClient db;

    public AuditRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Page<AuditView>> find(AuditFilter filter, Paging paging) {
        Where where = where(filter);
        Mono<Long> total = bind(db.sql("SELECT COUNT(*) AS n FROM audit_log " + where.sql()), where.params())
                .map((row, meta) -> Rows.longValue(row, "n"))
                .one();
        Mono<List<AuditView>> items = bind(db.sql(COLUMNS + where.sql()
                        + "ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset"), where.params())
                .bind("limit", paging.size())
                .bind("offset", paging.offset())
                .map((row, meta) -> toView(row))
                .all()
                .collectList();
        return Mono.zip(items, total)
                .map(t -> paging.page(t.getT1(), t.getT2()));
    }

    /** Only fixed column names and named parameters: no caller text is ever part of the SQL. */
    static Where where(AuditFilter f) {
        List<String> clauses = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        add(clauses, params, "actor = :actor", "actor", f.actor());
        add(clauses, params, "type = :type", "type", f.type());
        add(clauses, params, "target = :target", "target", f.target());
        add(clauses, params, "at >= :from", "from", f.from() == null ? null : Rows.utc(f.from()));
        add(clauses, params, "at < :to", "to", f.to() == null ? null : Rows.utc(f.to()));
        String sql = clauses.isEmpty() ? "" : "WHERE " + String.join(" AND ", clauses) + " ";
        return new Where(sql, params);
    }

    private static void add(List<String> clauses, Map<String, Object> params, String clause, String name,
            Object value) {
        if (value != null) {
            clauses.add(clause);
            params.put(name, value);
        }
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec,
            Map<String, Object> params) {
        for (Map.Entry<String, Object> e : params.entrySet()) {
            spec = spec.bind(e.getKey(), e.getValue());
        }
        return spec;
    }

    private static AuditView toView(Row row) {
        return new AuditView(Rows.longValue(row, "id"), row.get("command_id", String.class),
                row.get("type", String.class), row.get("actor", String.class), row.get("target", String.class),
                Rows.bool(row, "ok"), row.get("code", String.class), Rows.objectMap(row, "body"),
                Rows.instant(row, "at"));
    }

    record Where(String sql, Map<String, Object> params) {
    }
}
