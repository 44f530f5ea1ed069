-- OCPI 2.2.1 credit CDRs (`cdrflow credit`): a row of their own with only a 2.2.1 form, so
-- `cdr` (the 2.1.1 body) may be null: the 2.1.1 pull and its counts leave such rows out
-- (migration 007). `credit_of` (migration 006) names the CDR a credit cancels.
ALTER TABLE cdrs ALTER COLUMN cdr DROP NOT NULL;

-- The connection a CDR's last POST went to (its in-flight mark's receiver, then the one that
-- took it): a POST whose outcome is unknown is looked up where it went, even after the party
-- moved to another connection, and a sent CDR is checked back and reconciled there.
ALTER TABLE cdrs ADD COLUMN post_connection text;

-- Credit CDRs are few: found through their own index (a re-send checks that none cancels its
-- CDR; the metrics count the ones sent).
CREATE INDEX cdrs_credits ON cdrs (country_code, party_id, credit_of) WHERE credit_of IS NOT NULL;
