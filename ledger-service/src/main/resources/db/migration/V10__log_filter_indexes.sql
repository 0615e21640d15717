-- The request-log filters of GET /api/logs, newest first: without these a filter on model, status, channel or key
-- alone reads ix_request_log_at backwards until it has a page, which is the whole table for a rare or absent value
-- (2 s on 1M rows for an idle key), and counts by scanning every row (0.7 s per 1M). Each index is (filter, at),
-- so one index both finds the rows and hands them over in page order; (user_id, at) already serves the customer
-- view and user filters, (at) the time range and the unfiltered pager. Four more B-trees on every insert: a bulk
-- insert of 1M rows took about twice as long (9-17 s -> 23-24 s on 2 busy cores), still ~40,000 rows/s, well above
-- what the ledger's batches write. One ALTER, so the table is rebuilt once; MariaDB and MySQL both add secondary
-- indexes in place without blocking inserts (on a big table this migration takes a while: ~10 s per 1M rows).
ALTER TABLE request_log
    ADD KEY ix_request_log_model_at (model, at),
    ADD KEY ix_request_log_status_at (status, at),
    ADD KEY ix_request_log_channel_at (channel_id, at),
    ADD KEY ix_request_log_key_at (key_id, at);
