-- The receivers of a CPO party's CDRs (`cdrflow connection ...`): GIREVE, and any eMSP with a
-- bilateral contract, each with its own endpoint, token and OCPI version. A party without a
-- row here delivers through the IOP_* variables (the one-connection shortcut).
--
-- Tokens are stored as given (the database is the CPO's own system of record; the runbook
-- says to restrict this table's role and encrypt the volume); no command ever prints one.
CREATE TABLE connections (
  country_code       text        NOT NULL,
  party_id           text        NOT NULL,
  name               text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
  ocpi_version       text        NOT NULL CHECK (ocpi_version IN ('2.1.1', '2.2.1')),
  cdrs_url           text        NOT NULL,
  token              text        NOT NULL,
  -- Where one CDR is looked up: {id} is replaced; null = `<cdrs_url>/{id}`.
  check_url_template text,
  enabled            boolean     NOT NULL DEFAULT true,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (country_code, party_id, name)
);

-- The OCPI 2.2.1 form of the CDR, built beside the 2.1.1 one when the session carries what
-- 2.2.1 needs (the token's uid and type): POSTed to 2.2.1 connections and served by the
-- 2.2.1 pull. Null when the session lacks it.
ALTER TABLE cdrs ADD COLUMN cdr_221 jsonb;
-- For a 2.2.1 credit CDR (migration 008), the id of the CDR it cancels.
ALTER TABLE cdrs ADD COLUMN credit_of text;

-- One receiver per party for now: the party's queue delivers to its enabled connection.
CREATE UNIQUE INDEX connections_one_enabled_per_party ON connections (country_code, party_id) WHERE enabled;
