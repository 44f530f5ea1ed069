-- An operator's word on a delivery whose outcome the receiver cannot tell (an unknown
-- outcome, then checks that answer nothing clear): `held` settles it as sent, `not-held`
-- clears its in-flight mark so it is POSTed again. Kept as an audit trail, shown by
-- `cdrflow status` and counted by `cdrflow queue`.
CREATE TABLE delivery_resolutions (
  country_code text        NOT NULL,
  party_id     text        NOT NULL,
  cdr_id       text        NOT NULL,
  connection   text        NOT NULL,
  verdict      text        NOT NULL CHECK (verdict IN ('held', 'not-held')),
  note         text,
  -- What the delivery read before: its attempts and last error (why it was stuck).
  attempts     integer     NOT NULL,
  last_error   text,
  resolved_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX delivery_resolutions_by_cdr ON delivery_resolutions (country_code, party_id, cdr_id);
