-- The party a receiver's OCPI 2.2.1 requests are addressed to (OCPI-to-*): a hub names itself
-- there (GIREVE: FR*007, pre-production FR*107) and dispatches; null: the CDR's eMSP (a direct
-- eMSP connection).
ALTER TABLE connections ADD COLUMN to_country_code text, ADD COLUMN to_party_id text,
  ADD CONSTRAINT connections_to_party_whole CHECK ((to_country_code IS NULL) = (to_party_id IS NULL));
