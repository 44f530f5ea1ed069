-- A party whose delivery an operator paused. The queue workflow's own flag is a copy: a
-- terminate, a reset, a repair restart or a lost Temporal state starts a queue that reads
-- this first, so a pause holds until `cdrflow resume` (or a resume signal) ends it.
CREATE TABLE paused_parties (
  country_code text        NOT NULL,
  party_id     text        NOT NULL,
  paused_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (country_code, party_id)
);
