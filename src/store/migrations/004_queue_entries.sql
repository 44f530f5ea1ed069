-- Each CPO party's delivery queue lives here, in hand-in order: Postgres alone knows
-- what waits and in which order, so the queue workflow holds no list (a queue of any
-- length costs its history nothing) and a lost queue workflow is rebuilt from this table.
--
-- A row is written when a session is handed in (the queue workflow records its enqueue
-- signals, in arrival order), before its CDR may even be built; it is deleted when the
-- CDR leaves the queue (sent, rejected, invalid, or the hand-in abandoned). The cdrs row
-- says whether the CDR is stored yet.
CREATE TABLE queue_entries (
  country_code text        NOT NULL,
  party_id     text        NOT NULL,
  cdr_id       text        NOT NULL,
  session_id   text        NOT NULL,
  -- The place in the queue: one sequence for all parties, so within a party a larger
  -- number always came later. A re-send takes a new number (the tail).
  seq          bigserial   NOT NULL,
  enqueued_at  timestamptz NOT NULL,
  PRIMARY KEY (country_code, party_id, cdr_id)
);
CREATE INDEX queue_entries_order ON queue_entries (country_code, party_id, seq);
-- Every CDR passes through this table: rows come and go all the time, and the head of the
-- order index collects dead entries that each read of the head steps over. Vacuum and
-- analyze it far more often than the default 20 % / 10 % of the table.
ALTER TABLE queue_entries SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01,
                               autovacuum_vacuum_threshold = 1000, autovacuum_analyze_threshold = 1000);

-- Who holds the POST of a CDR: a run of POSTs claims its CDRs (post_owner, post_started_at)
-- and another run may take a claim over only once it is older than the longest a run can
-- last, so two runs never POST the same CDR at once (see src/store/post-claims.ts).
ALTER TABLE cdrs ADD COLUMN post_owner text;

-- CDRs queued before this migration, in the order they were stored.
INSERT INTO queue_entries (country_code, party_id, cdr_id, session_id, enqueued_at)
SELECT country_code, party_id, id, session_id, created_at
FROM cdrs WHERE status = 'queued'
ORDER BY created_at, country_code, party_id, id;

-- Queues are no longer handed between workflow runs in chunks (see migration 003).
DROP TABLE queue_snapshot_chunks;
