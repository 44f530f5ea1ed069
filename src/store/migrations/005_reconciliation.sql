-- Reconciliation with the hub (IOP_RECONCILE_EVERY_MS): a sent CDR is looked up at the IOP
-- again now and then; one the IOP no longer has (a hub restored from an older backup,
-- OCPI issue 332) is flagged check_status = 'missing', re-sendable by an operator.
ALTER TABLE cdrs ADD COLUMN reconciled_at timestamptz;
ALTER TABLE cdrs DROP CONSTRAINT cdrs_check_status_check;
ALTER TABLE cdrs ADD CONSTRAINT cdrs_check_status_check
  CHECK (check_status IN ('match', 'mismatch', 'not_possible', 'missing'));
-- The walk over recently sent CDRs, in the order they were sent.
CREATE INDEX cdrs_sent_order ON cdrs (sent_at, country_code, party_id, id) WHERE status = 'sent';
