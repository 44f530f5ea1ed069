-- A corrected CDR sent after the credit that cancels a CDR (cdrflow reissue): a cdrs row of
-- its own with only a 2.2.1 form, like its credit, and `reissue_of` naming the CDR it
-- corrects. One re-issue per CDR: its id is stable (the original's with -R).
ALTER TABLE cdrs ADD COLUMN reissue_of text;
CREATE UNIQUE INDEX cdrs_reissues ON cdrs (country_code, party_id, reissue_of) WHERE reissue_of IS NOT NULL;
