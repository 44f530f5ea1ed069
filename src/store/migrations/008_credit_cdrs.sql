-- OCPI 2.2.1 credit CDRs (`cdrflow credit`): a row of their own with only a 2.2.1 form, so
-- `cdr` (the 2.1.1 body) may be null: the 2.1.1 pull and its counts leave such rows out
-- (migration 007). `credit_of` names the CDR a credit cancels.
ALTER TABLE cdrs ALTER COLUMN cdr DROP NOT NULL;
ALTER TABLE cdrs ADD COLUMN credit_of text;
