-- X-Total-Count goes with every pull page. Counting a window's rows in cdrs reads one
-- index entry per CDR (about 110 ms at 1,000,000 CDRs), so each page of a long pull would
-- cost a scan of the whole window. These tables keep how many pullable (not invalid) CDRs
-- each CPO party has per UTC day and per UTC hour of last_updated: the pull count
-- (store/cdr-pull-query.ts) adds whole days, then whole hours at the window's edges, and
-- counts in cdrs only the rows of the two partial hours at its ends.
--
-- The triggers below change the counts in the same transaction as the CDR rows, so within
-- one snapshot the counts and cdrs agree and the total stays exact. A counter row is
-- locked until the writing transaction commits; cdrs are written one per transaction,
-- so that lock lasts a single short statement. The counters take many small updates:
-- autovacuum keeps these small tables compact (the pull count reads them).
CREATE TABLE cdrs_pullable_per_day (
  day          timestamptz NOT NULL,
  country_code text        NOT NULL,
  party_id     text        NOT NULL,
  pullable     integer     NOT NULL,
  PRIMARY KEY (day, country_code, party_id)
);

CREATE TABLE cdrs_pullable_per_hour (
  hour         timestamptz NOT NULL,
  country_code text        NOT NULL,
  party_id     text        NOT NULL,
  pullable     integer     NOT NULL,
  PRIMARY KEY (hour, country_code, party_id)
);

-- Explicit 'UTC': date_trunc would otherwise cut at the session time zone's midnight.
CREATE FUNCTION cdrs_add_pullable(p_country text, p_party text, p_at timestamptz, p_delta integer)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO cdrs_pullable_per_hour AS counted (hour, country_code, party_id, pullable)
  VALUES (date_trunc('hour', p_at, 'UTC'), p_country, p_party, p_delta)
  ON CONFLICT (hour, country_code, party_id) DO UPDATE SET pullable = counted.pullable + EXCLUDED.pullable;
  INSERT INTO cdrs_pullable_per_day AS counted (day, country_code, party_id, pullable)
  VALUES (date_trunc('day', p_at, 'UTC'), p_country, p_party, p_delta)
  ON CONFLICT (day, country_code, party_id) DO UPDATE SET pullable = counted.pullable + EXCLUDED.pullable;
$$;

-- Inserts are counted once per statement, from the statement's new rows grouped by hour:
-- a bulk load pays one upsert per hour touched instead of two per row.
CREATE FUNCTION cdrs_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO cdrs_pullable_per_hour AS counted (hour, country_code, party_id, pullable)
  SELECT date_trunc('hour', last_updated, 'UTC'), country_code, party_id, count(*)
  FROM inserted WHERE status <> 'invalid' GROUP BY 1, 2, 3
  ON CONFLICT (hour, country_code, party_id) DO UPDATE SET pullable = counted.pullable + EXCLUDED.pullable;
  INSERT INTO cdrs_pullable_per_day AS counted (day, country_code, party_id, pullable)
  SELECT date_trunc('day', last_updated, 'UTC'), country_code, party_id, count(*)
  FROM inserted WHERE status <> 'invalid' GROUP BY 1, 2, 3
  ON CONFLICT (day, country_code, party_id) DO UPDATE SET pullable = counted.pullable + EXCLUDED.pullable;
  RETURN NULL;
END
$$;

-- Updates and deletes are rare and row by row (a row trigger may filter with WHEN, which
-- keeps the frequent delivery bookkeeping updates free).
CREATE FUNCTION cdrs_count_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'invalid' THEN
    PERFORM cdrs_add_pullable(OLD.country_code, OLD.party_id, OLD.last_updated, -1);
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.status <> 'invalid' THEN
    PERFORM cdrs_add_pullable(NEW.country_code, NEW.party_id, NEW.last_updated, 1);
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION cdrs_reset_pullable_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE cdrs_pullable_per_hour, cdrs_pullable_per_day;
  RETURN NULL;
END
$$;

CREATE TRIGGER cdrs_count_inserted
  AFTER INSERT ON cdrs
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION cdrs_count_inserted();

CREATE TRIGGER cdrs_count_deleted
  AFTER DELETE ON cdrs
  FOR EACH ROW EXECUTE FUNCTION cdrs_count_changed();

-- Delivery bookkeeping updates rows all the time; only a change of whether a row counts,
-- or where, touches the counts (queued -> sent changes nothing here).
CREATE TRIGGER cdrs_count_updated
  AFTER UPDATE OF status, last_updated, country_code, party_id ON cdrs
  FOR EACH ROW
  WHEN ((OLD.status = 'invalid') <> (NEW.status = 'invalid')
        OR OLD.last_updated <> NEW.last_updated
        OR OLD.country_code <> NEW.country_code
        OR OLD.party_id <> NEW.party_id)
  EXECUTE FUNCTION cdrs_count_changed();

CREATE TRIGGER cdrs_reset_pullable_counts
  AFTER TRUNCATE ON cdrs
  FOR EACH STATEMENT EXECUTE FUNCTION cdrs_reset_pullable_counts();

-- CDRs stored before this migration.
INSERT INTO cdrs_pullable_per_hour (hour, country_code, party_id, pullable)
SELECT date_trunc('hour', last_updated, 'UTC'), country_code, party_id, count(*)
FROM cdrs WHERE status <> 'invalid' GROUP BY 1, 2, 3;

INSERT INTO cdrs_pullable_per_day (day, country_code, party_id, pullable)
SELECT day, country_code, party_id, sum(pullable)
FROM (SELECT date_trunc('day', hour, 'UTC') AS day, country_code, party_id, pullable FROM cdrs_pullable_per_hour) hours
GROUP BY 1, 2, 3;
