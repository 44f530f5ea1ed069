-- A CPO queue workflow hands over to its next run (continue-as-new) with its queued ids.
-- A long queue would not fit in one Temporal payload (2 MB), so it is handed over in
-- chunks through this table and deleted once the next run has read it.
CREATE TABLE queue_snapshot_chunks (
  snapshot_id text        NOT NULL,
  chunk       integer     NOT NULL,
  entries     jsonb       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (snapshot_id, chunk)
);
