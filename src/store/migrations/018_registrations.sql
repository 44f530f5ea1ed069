-- Registrations with a hub (OCPI credentials, GIREVE's Register FromIOP): the CPO hands the
-- hub a registration token (token A) and its versions URL; the hub reads the versions with it
-- and registers once. Only the token's SHA-256 is kept; a token is single use and expires.
CREATE TABLE registrations (
  id            bigserial   PRIMARY KEY,
  name          text        NOT NULL,
  ocpi_version  text        NOT NULL CHECK (ocpi_version IN ('2.1.1', '2.2.1')),
  parties       text[]      NOT NULL CHECK (cardinality(parties) > 0),
  token_sha256  bytea       NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz,
  revoked_at    timestamptz,
  -- OCPI 2.1.1 has one credentials handshake per CPO operation: one party.
  CHECK (ocpi_version = '2.2.1' OR cardinality(parties) = 1)
);
CREATE INDEX registrations_open ON registrations (expires_at) WHERE used_at IS NULL AND revoked_at IS NULL;
