-- Several receivers per party: a CDR is delivered to each of its party's connections, each
-- its own FIFO lane (one receiver's outage delays no other). The hand-in order stays per
-- party (queue_entries); the delivery state moves from the cdrs row to one row per (CDR,
-- connection). The cdrs row keeps the CDR's overall state: `queued` while any receiver
-- still waits for it, then `sent` (every receiver took it) or `rejected` (one refused it),
-- and mirrors the last attempt's count and error for operators.
CREATE TABLE deliveries (
  country_code    text        NOT NULL,
  party_id        text        NOT NULL,
  cdr_id          text        NOT NULL,
  -- A connection's name, or `default` (the IOP_* variables, for a party without connections).
  connection      text        NOT NULL,
  -- The lane's order: a hand-in's place, taken again by a re-send (the tail) or a backfill.
  seq             bigint      NOT NULL,
  -- skipped: never to be sent here (an invalid CDR, a receiver removed while it waited).
  status          text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'rejected', 'skipped')),
  attempts        integer     NOT NULL DEFAULT 0,
  last_error      text,
  last_attempt_at timestamptz,
  next_attempt_at timestamptz,
  -- The claim and in-flight mark of src/store/post-claims.ts, per receiver.
  post_started_at timestamptz,
  post_owner      text,
  iop_location    text,
  sent_at         timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (country_code, party_id, cdr_id, connection)
);
-- Each lane's head: its waiting CDRs in order.
CREATE INDEX deliveries_lane_order ON deliveries (country_code, party_id, connection, seq) WHERE status = 'queued';
ALTER TABLE deliveries SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.01,
                            autovacuum_vacuum_threshold = 1000, autovacuum_analyze_threshold = 1000);

-- Who receives a party's CDRs handed in now: its enabled connections; with connections but
-- none enabled, all of them (the CDRs wait for one to be enabled, they never fall back to
-- the shared IOP_* token); without any connection, `default` (IOP_*).
CREATE FUNCTION cdrflow_receivers(cc text, pid text) RETURNS SETOF text LANGUAGE sql STABLE AS $$
  SELECT name FROM connections WHERE country_code = cc AND party_id = pid AND enabled
  UNION ALL
  SELECT name FROM connections WHERE country_code = cc AND party_id = pid
    AND NOT EXISTS (SELECT 1 FROM connections WHERE country_code = cc AND party_id = pid AND enabled)
  UNION ALL
  SELECT 'default' WHERE NOT EXISTS (SELECT 1 FROM connections WHERE country_code = cc AND party_id = pid)
$$;

-- A queue entry whose CDR every receiver has settled: it waits only for its session
-- workflow to be told, then leaves (found through this index, not by reading the queue).
ALTER TABLE queue_entries ADD COLUMN settled boolean NOT NULL DEFAULT false;
CREATE INDEX queue_entries_settled ON queue_entries (country_code, party_id, seq) WHERE settled;

-- Several enabled connections per party from now on.
DROP INDEX connections_one_enabled_per_party;

-- What was on its way: one delivery per queued CDR (and per queue entry not stored yet), to
-- the connection its in-flight mark went to, else its party's receivers.
INSERT INTO deliveries (country_code, party_id, cdr_id, connection, seq, attempts, last_error, last_attempt_at,
                        next_attempt_at, post_started_at, post_owner)
SELECT q.country_code, q.party_id, q.cdr_id, r.connection, q.seq,
       coalesce(c.attempts, 0), c.last_error, c.last_attempt_at, c.next_attempt_at, c.post_started_at, c.post_owner
FROM queue_entries q
LEFT JOIN cdrs c ON c.country_code = q.country_code AND c.party_id = q.party_id AND c.id = q.cdr_id
CROSS JOIN LATERAL (
  SELECT coalesce(c.post_connection, 'default') AS connection WHERE c.post_started_at IS NOT NULL
  UNION ALL
  SELECT receiver FROM cdrflow_receivers(q.country_code, q.party_id) AS receiver WHERE c.post_started_at IS NULL) r
WHERE c.status IS NULL OR c.status = 'queued'
ON CONFLICT DO NOTHING;
-- What was settled: its one delivery, where it went (a re-send, a credit and check-back find it).
INSERT INTO deliveries (country_code, party_id, cdr_id, connection, seq, status, attempts, last_error, last_attempt_at,
                        iop_location, sent_at)
SELECT c.country_code, c.party_id, c.id, coalesce(c.post_connection, 'default'), 0, c.status, c.attempts, c.last_error,
       c.last_attempt_at, c.iop_location, c.sent_at
FROM cdrs c
WHERE c.status IN ('sent', 'rejected')
ON CONFLICT DO NOTHING;
-- A queued CDR's post_connection named where an earlier attempt went; unless that POST is
-- still in flight (its delivery is there), it says nothing now: post_connection is the first
-- receiver that took the CDR from now on.
UPDATE cdrs SET post_connection = NULL WHERE status = 'queued' AND post_started_at IS NULL;
-- Entries of CDRs already settled (told to nobody yet).
UPDATE queue_entries q SET settled = true
FROM cdrs c WHERE c.country_code = q.country_code AND c.party_id = q.party_id AND c.id = q.cdr_id AND c.status <> 'queued';
