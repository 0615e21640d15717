package dev.tollgate.admin.audit;

import java.time.Instant;
import java.util.Map;

/** One admin action as the ledger recorded it; {@code body} is the command with its secrets already redacted. */
public record AuditView(long id, String commandId, String type, String actor, String target, boolean ok, String code,
        Map<String, Object> body, Instant at) {
}
