package dev.tollgate.ledger.usage;

import dev.tollgate.contracts.events.Capture;
import dev.tollgate.contracts.events.CapturedText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The bodies of captured requests (request_bodies), written beside their request-log rows in the batch's
 * transaction. Only new requests reach it (the batch dedupes against the request log first), so a redelivered
 * event never writes a second row.
 */
@Repository
class CapturedBodyRepository {

    private static final int CHUNK = 250;
    /**
     * Characters of body text per statement at most (a row over it goes alone): far below the server's
     * max_allowed_packet (16 MB on MariaDB, 64 MB on MySQL 8.4), even escaped, so a batch never fails on it.
     */
    private static final long CHUNK_CHARS = 2_000_000;
    private static final String TUPLE = "(?, ?, ?, ?, ?, ?, ?)";

    private final JdbcTemplate jdbc;

    CapturedBodyRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the bodies of the rows that carry a capture; rows without one cost nothing. */
    void insert(List<ChargedUsage> rows) {
        List<ChargedUsage> chunk = new ArrayList<>();
        long chars = 0;
        for (ChargedUsage row : rows) {
            Capture capture = row.event().capture();
            if (capture == null) {
                continue;
            }
            long size = text(capture.request()).length() + (capture.response() == null ? 0
                    : capture.response().text().length());
            if (!chunk.isEmpty() && (chunk.size() == CHUNK || chars + size > CHUNK_CHARS)) {
                insertChunk(chunk);
                chunk.clear();
                chars = 0;
            }
            chunk.add(row);
            chars += size;
        }
        if (!chunk.isEmpty()) {
            insertChunk(chunk);
        }
    }

    private void insertChunk(List<ChargedUsage> chunk) {
        List<Object> args = new ArrayList<>(chunk.size() * 7);
        for (ChargedUsage row : chunk) {
            Capture capture = row.event().capture();
            args.add(row.key().day());
            args.add(row.key().requestId());
            args.add(text(capture.request()));
            args.add(capture.request() != null && capture.request().truncated());
            args.add(capture.response() == null ? null : capture.response().text());
            args.add(capture.response() != null && capture.response().truncated());
            args.add(capture.streamed());
        }
        jdbc.update("INSERT INTO request_bodies (day, request_id, request_body, request_truncated, response_body, "
                + "response_truncated, streamed) VALUES " + String.join(", ", Collections.nCopies(chunk.size(), TUPLE)),
                args.toArray());
    }

    private static String text(CapturedText body) {
        return body == null ? "" : body.text();
    }
}
