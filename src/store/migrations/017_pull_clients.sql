-- Who may pull CDRs beyond OCPI_TOKENS: clients registered at run time (cdrflow pull-client,
-- the credentials module), seen by the API within seconds, without a restart. Only the
-- SHA-256 of a token is kept: the API compares digests and never needs the token back.
CREATE TABLE pull_clients (
  name          text        PRIMARY KEY,
  token_sha256  bytea       NOT NULL UNIQUE,
  -- eMI3 operator ids of the CPO parties whose CDRs it sees (never all: a registered client is scoped).
  parties       text[]      NOT NULL CHECK (cardinality(parties) > 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz
);
