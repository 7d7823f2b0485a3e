-- pgbench: the storage floor. One transaction = one statement inserting 500 rows of the ledger's own shape
-- (copied from entries the ingest benchmark wrote) into a table with ledger.messages' columns and indexes.
INSERT INTO bench_floor.messages (tenant_id, seq, message_id, tag, raw, content_type, received_at)
SELECT 'floor', s, sha256(int8send(s)), tag, raw, content_type, now()
FROM (SELECT nextval('bench_floor.seq') AS s, tag, raw, content_type FROM bench_floor.sample) AS rows;
