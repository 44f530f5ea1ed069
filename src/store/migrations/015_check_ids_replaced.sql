-- A check-back whose only differences are session_id and authorization_reference: GIREVE
-- replaces both with its own toward the eMSP, so such a CDR is held as sent, not a mismatch.
ALTER TABLE cdrs DROP CONSTRAINT cdrs_check_status_check;
ALTER TABLE cdrs ADD CONSTRAINT cdrs_check_status_check
  CHECK (check_status IN ('match', 'match_ids_replaced', 'mismatch', 'not_possible', 'missing'));
