package dev.tollgate.admin.redemptions;

import dev.tollgate.admin.db.Rows;
import dev.tollgate.admin.web.Page;
import dev.tollgate.admin.web.Paging;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reads redemption batches and codes; a code's hash is only ever compared here, never returned. */
@Repository
public class RedemptionRepository {

    private final DatabaseClient db;

    public RedemptionRepository(DatabaseClient db) {
        this.db = db;
    }

    /** The journal entry a redemption wrote, as the answer needs it. */
    record Credit(long userId, String kind, long amountMicros, long balanceAfterMicros) {
    }

    public Mono<Page<BatchView>> batches(Paging paging) {
        Mono<Long> total = db.sql("SELECT COUNT(DISTINCT batch_name) AS n FROM redemption_codes")
                .map((row, meta) -> Rows.longValue(row, "n"))
                .one();
        Mono<List<BatchView>> items = db.sql("SELECT batch_name, MIN(amount_micros) AS amount_micros, "
                        + "COUNT(*) AS total, COUNT(redeemed_by) AS redeemed, MIN(expires_at) AS expires_at, "
                        + "MIN(created_at) AS created_at FROM redemption_codes GROUP BY batch_name "
                        + "ORDER BY created_at DESC, batch_name LIMIT :limit OFFSET :offset")
                .bind("limit", paging.size())
                .bind("offset", paging.offset())
                .map((row, meta) -> new BatchView(row.get("batch_name", String.class),
                        Rows.longValue(row, "amount_micros"), Rows.longValue(row, "total"),
                        Rows.longValue(row, "redeemed"), Rows.instant(row, "expires_at"),
                        Rows.instant(row, "created_at")))
                .all()
                .collectList();
        return Mono.zip(items, total, paging::page);
    }

    /** The codes of a batch, oldest first; empty when there is no such batch. */
    public Mono<Page<CodeView>> codes(String batchName, Paging paging) {
        Mono<Long> total = db.sql("SELECT COUNT(*) AS n FROM redemption_codes WHERE batch_name = :name")
                .bind("name", batchName)
                .map((row, meta) -> Rows.longValue(row, "n"))
                .one();
        Mono<List<CodeView>> items = db.sql("SELECT prefix, redeemed_by, redeemed_at FROM redemption_codes "
                        + "WHERE batch_name = :name ORDER BY id LIMIT :limit OFFSET :offset")
                .bind("name", batchName)
                .bind("limit", paging.size())
                .bind("offset", paging.offset())
                .map((row, meta) -> new CodeView(row.get("prefix", String.class),
                        Rows.nullableLong(row, "redeemed_by"), Rows.instant(row, "redeemed_at")))
                .all()
                .collectList();
        return total.filter(n -> n > 0)
                .flatMap(n -> items.map(list -> paging.page(list, n)));
    }

    public Mono<Boolean> batchExists(String batchName) {
        return db.sql("SELECT COUNT(*) AS n FROM redemption_codes WHERE batch_name = :name")
                .bind("name", batchName)
                .map((row, meta) -> Rows.longValue(row, "n") > 0)
                .one();
    }

    /** Whether this batch holds this code: a retried create with new codes must not answer them. */
    public Mono<Boolean> batchHolds(String batchName, String codeHash) {
        return db.sql("SELECT COUNT(*) AS n FROM redemption_codes WHERE batch_name = :name AND code_hash = :hash")
                .bind("name", batchName)
                .bind("hash", codeHash)
                .map((row, meta) -> Rows.longValue(row, "n") > 0)
                .one();
    }

    public Mono<Boolean> userExists(long userId) {
        return db.sql("SELECT COUNT(*) AS n FROM users WHERE id = :id")
                .bind("id", userId)
                .map((row, meta) -> Rows.longValue(row, "n") > 0)
                .one();
    }

    Mono<Credit> credit(long journalId) {
        return db.sql("SELECT user_id, kind, amount_micros, balance_after FROM journal WHERE id = :id")
                .bind("id", journalId)
                .map((row, meta) -> new Credit(Rows.longValue(row, "user_id"), row.get("kind", String.class),
                        Rows.longValue(row, "amount_micros"), Rows.longValue(row, "balance_after")))
                .one();
    }
}
