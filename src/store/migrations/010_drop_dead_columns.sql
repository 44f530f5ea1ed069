-- Columns of cdrs that nothing reads any more. The claim (post_started_at, post_owner) lives
-- on each delivery since migration 009 and was only ever reset here; last_attempt_at and
-- reconciled_at were written and never read (a delivery keeps its own last_attempt_at; the
-- reconciliation walk resumes from its cursor). attempts, last_error and next_attempt_at stay:
-- they mirror the last attempt for operators (cdrflow status, the pull listing).
ALTER TABLE cdrs
  DROP COLUMN post_started_at,
  DROP COLUMN post_owner,
  DROP COLUMN last_attempt_at,
  DROP COLUMN reconciled_at;
