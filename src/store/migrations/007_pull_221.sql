-- The OCPI 2.2.1 pull (GET /ocpi/cpo/2.2.1/cdrs) serves cdrs.cdr_221, so only the pullable
-- CDRs that have one (migration 006: null when the session lacked what 2.2.1 needs). The
-- 2.1.1 pull serves cdrs.cdr, so only the rows that have one: every CDR today, but not the
-- 2.2.1 credit CDRs that are stored with a 2.2.1 form alone (src/store/credit-repo.ts).
-- src/store/cdr-form.ts holds the same two predicates.
--
-- The 2.2.1 pages walk this index in the order of cdrs_pull_order (migration 001). With
-- that index alone, every row without a 2.2.1 form would be fetched from the table only to
-- be dropped, and an offset would skip table rows instead of index entries.
CREATE INDEX cdrs_pull_221_order ON cdrs (last_updated, country_code, party_id, id)
  WHERE status <> 'invalid' AND cdr_221 IS NOT NULL;

-- The 2.1.1 pull index, rebuilt with the 2.1.1 predicate for the same reason.
DROP INDEX cdrs_pull_order;
CREATE INDEX cdrs_pull_order ON cdrs (last_updated, country_code, party_id, id)
  WHERE status <> 'invalid' AND cdr IS NOT NULL;

-- The 2.2.1 X-Total-Count comes from the per-hour / per-day counts of migration 002, which
-- gain a second count: the pullable rows that have a 2.2.1 form (and the first one now
-- counts only the rows that have a 2.1.1 form). A plain count over the index above reads
-- one entry per CDR of the window, on every page: about 50 ms for 800,000 CDRs
-- (index-only scan, three parallel workers, all in cache), paid again for each of the
-- 40,000 pages of a full pull at 20 per page. With the counts the same total costs about
-- 1 ms, whatever the window: one row per day plus two edge hours.
ALTER TABLE cdrs_pullable_per_hour ADD COLUMN pullable_221 integer NOT NULL DEFAULT 0;
ALTER TABLE cdrs_pullable_per_day ADD COLUMN pullable_221 integer NOT NULL DEFAULT 0;

CREATE FUNCTION cdrs_add_pullable(p_country text, p_party text, p_at timestamptz, p_delta integer, p_delta_221 integer)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO cdrs_pullable_per_hour AS counted (hour, country_code, party_id, pullable, pullable_221)
  VALUES (date_trunc('hour', p_at, 'UTC'), p_country, p_party, p_delta, p_delta_221)
  ON CONFLICT (hour, country_code, party_id) DO UPDATE
    SET pullable = counted.pullable + EXCLUDED.pullable, pullable_221 = counted.pullable_221 + EXCLUDED.pullable_221;
  INSERT INTO cdrs_pullable_per_day AS counted (day, country_code, party_id, pullable, pullable_221)
  VALUES (date_trunc('day', p_at, 'UTC'), p_country, p_party, p_delta, p_delta_221)
  ON CONFLICT (day, country_code, party_id) DO UPDATE
    SET pullable = counted.pullable + EXCLUDED.pullable, pullable_221 = counted.pullable_221 + EXCLUDED.pullable_221;
$$;

CREATE OR REPLACE FUNCTION cdrs_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO cdrs_pullable_per_hour AS counted (hour, country_code, party_id, pullable, pullable_221)
  SELECT date_trunc('hour', last_updated, 'UTC'), country_code, party_id,
         count(*) FILTER (WHERE cdr IS NOT NULL), count(*) FILTER (WHERE cdr_221 IS NOT NULL)
  FROM inserted WHERE status <> 'invalid' GROUP BY 1, 2, 3
  ON CONFLICT (hour, country_code, party_id) DO UPDATE
    SET pullable = counted.pullable + EXCLUDED.pullable, pullable_221 = counted.pullable_221 + EXCLUDED.pullable_221;
  INSERT INTO cdrs_pullable_per_day AS counted (day, country_code, party_id, pullable, pullable_221)
  SELECT date_trunc('day', last_updated, 'UTC'), country_code, party_id,
         count(*) FILTER (WHERE cdr IS NOT NULL), count(*) FILTER (WHERE cdr_221 IS NOT NULL)
  FROM inserted WHERE status <> 'invalid' GROUP BY 1, 2, 3
  ON CONFLICT (day, country_code, party_id) DO UPDATE
    SET pullable = counted.pullable + EXCLUDED.pullable, pullable_221 = counted.pullable_221 + EXCLUDED.pullable_221;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION cdrs_count_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'invalid' THEN
    PERFORM cdrs_add_pullable(OLD.country_code, OLD.party_id, OLD.last_updated,
                              -(OLD.cdr IS NOT NULL)::integer, -(OLD.cdr_221 IS NOT NULL)::integer);
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.status <> 'invalid' THEN
    PERFORM cdrs_add_pullable(NEW.country_code, NEW.party_id, NEW.last_updated,
                              (NEW.cdr IS NOT NULL)::integer, (NEW.cdr_221 IS NOT NULL)::integer);
  END IF;
  RETURN NULL;
END
$$;

DROP FUNCTION cdrs_add_pullable(text, text, timestamptz, integer);

-- A form added to or removed from a stored CDR (a 2.2.1 backfill, a rebuild) moves it in or
-- out of that form's count; rewriting a form that stays present changes nothing.
DROP TRIGGER cdrs_count_updated ON cdrs;
CREATE TRIGGER cdrs_count_updated
  AFTER UPDATE OF status, last_updated, country_code, party_id, cdr, cdr_221 ON cdrs
  FOR EACH ROW
  WHEN ((OLD.status = 'invalid') <> (NEW.status = 'invalid')
        OR OLD.last_updated <> NEW.last_updated
        OR OLD.country_code <> NEW.country_code
        OR OLD.party_id <> NEW.party_id
        OR (OLD.cdr IS NULL) <> (NEW.cdr IS NULL)
        OR (OLD.cdr_221 IS NULL) <> (NEW.cdr_221 IS NULL))
  EXECUTE FUNCTION cdrs_count_changed();

-- Both counts of the CDRs stored before this migration, rebuilt from cdrs as migration 002
-- first filled them. The migration runs in one transaction that holds the counter tables
-- and cdrs locked (ALTER TABLE, DROP TRIGGER), so no insert slips between this rebuild and
-- the new triggers.
TRUNCATE cdrs_pullable_per_hour, cdrs_pullable_per_day;

-- The forms' presence is taken in a subquery kept apart (OFFSET 0): grouped directly, the
-- CDR bodies themselves went through the sort (a 1,000,000-CDR table: 1.5 GB spilled to
-- disk, 5.8 s instead of 1.3 s), all of it while inserts wait.
INSERT INTO cdrs_pullable_per_hour (hour, country_code, party_id, pullable, pullable_221)
SELECT hour, country_code, party_id, count(*) FILTER (WHERE has_cdr), count(*) FILTER (WHERE has_cdr_221)
FROM (SELECT date_trunc('hour', last_updated, 'UTC') AS hour, country_code, party_id,
             cdr IS NOT NULL AS has_cdr, cdr_221 IS NOT NULL AS has_cdr_221
      FROM cdrs WHERE status <> 'invalid' OFFSET 0) pullable
GROUP BY 1, 2, 3;

INSERT INTO cdrs_pullable_per_day (day, country_code, party_id, pullable, pullable_221)
SELECT date_trunc('day', hour, 'UTC'), country_code, party_id, sum(pullable), sum(pullable_221)
FROM cdrs_pullable_per_hour GROUP BY 1, 2, 3;
