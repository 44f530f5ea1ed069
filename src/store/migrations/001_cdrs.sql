-- One row per CDR: the CDR as built, and where it is on its way to the IOP.
CREATE TABLE cdrs (
  country_code      text        NOT NULL,
  party_id          text        NOT NULL,
  id                text        NOT NULL,
  session_id        text        NOT NULL,
  cdr               jsonb       NOT NULL,
  last_updated      timestamptz NOT NULL,
  -- queued: valid, waiting for its turn; sent: the IOP accepted it; rejected: the IOP
  -- refused it as invalid (re-sendable after a fix); invalid: failed our validation, never sent.
  status            text        NOT NULL CHECK (status IN ('queued', 'sent', 'rejected', 'invalid')),
  validation_errors jsonb,
  attempts          integer     NOT NULL DEFAULT 0,
  last_error        text,
  last_attempt_at   timestamptz,
  -- Set while a POST is on the wire: found set at the next attempt, the worker died mid-POST,
  -- so the IOP may have the CDR and is asked before it is POSTed again.
  post_started_at   timestamptz,
  next_attempt_at   timestamptz,
  iop_location      text,
  sent_at           timestamptz,
  check_status      text CHECK (check_status IN ('match', 'mismatch', 'not_possible')),
  check_detail      text,
  checked_at        timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (country_code, party_id, id)
);

-- The pull query filters on last_updated and pages in this exact order.
CREATE INDEX cdrs_pull_order ON cdrs (last_updated, country_code, party_id, id) WHERE status <> 'invalid';
CREATE INDEX cdrs_by_session ON cdrs (country_code, party_id, session_id);
CREATE INDEX cdrs_by_status ON cdrs (status) WHERE status IN ('queued', 'rejected', 'invalid');
-- The check endpoint compares ids case-insensitively (OCPI ids are CiString).
CREATE INDEX cdrs_lower_id ON cdrs (lower(id));
