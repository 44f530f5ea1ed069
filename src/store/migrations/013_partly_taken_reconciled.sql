-- A CDR one receiver refused and another took reads `rejected`, yet the copy taken is real:
-- it gets a sent_at (migration-time rows: their first delivery taken) and the reconciliation
-- walk covers it, through an index that holds both.
UPDATE cdrs c SET sent_at = d.sent_at
FROM (SELECT country_code, party_id, cdr_id, min(sent_at) AS sent_at FROM deliveries WHERE status = 'sent' GROUP BY 1, 2, 3) d
WHERE c.status = 'rejected' AND c.sent_at IS NULL
  AND d.country_code = c.country_code AND d.party_id = c.party_id AND d.cdr_id = c.id;
DROP INDEX cdrs_sent_order;
CREATE INDEX cdrs_sent_order ON cdrs (sent_at, country_code, party_id, id)
  WHERE status IN ('sent', 'rejected') AND sent_at IS NOT NULL;
