-- Exact stats rollups kept in step with writes (see db/schema/stats.ts).
-- Bucket of a duration in seconds: 0..15 are exact; above, 8 log-linear sub-buckets per power of two.
CREATE OR REPLACE FUNCTION sb_duration_bucket(s integer) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN s IS NULL THEN NULL
    WHEN s < 16 THEN greatest(s, 0)::smallint
    ELSE (16 + (e - 4) * 8 + ((s >> (e - 3)) & 7))::smallint
  END
  FROM (SELECT length(ltrim(greatest(s, 0)::bit(32)::text, '0')) - 1 AS e) AS x
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sb_utc_day(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (t AT TIME ZONE 'UTC')::date $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sb_tickets_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (
      OLD.status IS DISTINCT FROM NEW.status OR OLD.priority IS DISTINCT FROM NEW.priority OR
      OLD.category_slug IS DISTINCT FROM NEW.category_slug OR OLD.team_slug IS DISTINCT FROM NEW.team_slug OR
      sb_utc_day(OLD.created_at) IS DISTINCT FROM sb_utc_day(NEW.created_at))) THEN
    INSERT INTO ticket_count_deltas (day, status, priority, category_slug, team_slug, n)
    VALUES (sb_utc_day(OLD.created_at), OLD.status, OLD.priority, OLD.category_slug, coalesce(OLD.team_slug, ''), -1);
    IF TG_OP = 'UPDATE' THEN
      INSERT INTO ticket_count_deltas (day, status, priority, category_slug, team_slug, n)
      VALUES (sb_utc_day(NEW.created_at), NEW.status, NEW.priority, NEW.category_slug, coalesce(NEW.team_slug, ''), 1);
    END IF;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO ticket_count_deltas (day, status, priority, category_slug, team_slug, n)
    VALUES (sb_utc_day(NEW.created_at), NEW.status, NEW.priority, NEW.category_slug, coalesce(NEW.team_slug, ''), 1);
  END IF;

  -- metric 1: first response, metric 2: resolution
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.first_response_s IS NOT NULL AND (TG_OP = 'DELETE' OR OLD.first_response_s IS DISTINCT FROM NEW.first_response_s
        OR sb_utc_day(OLD.created_at) IS DISTINCT FROM sb_utc_day(NEW.created_at)) THEN
      INSERT INTO ticket_duration_deltas (day, metric, bucket, n, sum_s)
      VALUES (sb_utc_day(OLD.created_at), 1, sb_duration_bucket(OLD.first_response_s), -1, -OLD.first_response_s);
    END IF;
    IF OLD.resolution_s IS NOT NULL AND (TG_OP = 'DELETE' OR OLD.resolution_s IS DISTINCT FROM NEW.resolution_s
        OR sb_utc_day(OLD.created_at) IS DISTINCT FROM sb_utc_day(NEW.created_at)) THEN
      INSERT INTO ticket_duration_deltas (day, metric, bucket, n, sum_s)
      VALUES (sb_utc_day(OLD.created_at), 2, sb_duration_bucket(OLD.resolution_s), -1, -OLD.resolution_s);
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.first_response_s IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.first_response_s IS DISTINCT FROM NEW.first_response_s
        OR sb_utc_day(OLD.created_at) IS DISTINCT FROM sb_utc_day(NEW.created_at)) THEN
      INSERT INTO ticket_duration_deltas (day, metric, bucket, n, sum_s)
      VALUES (sb_utc_day(NEW.created_at), 1, sb_duration_bucket(NEW.first_response_s), 1, NEW.first_response_s);
    END IF;
    IF NEW.resolution_s IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.resolution_s IS DISTINCT FROM NEW.resolution_s
        OR sb_utc_day(OLD.created_at) IS DISTINCT FROM sb_utc_day(NEW.created_at)) THEN
      INSERT INTO ticket_duration_deltas (day, metric, bucket, n, sum_s)
      VALUES (sb_utc_day(NEW.created_at), 2, sb_duration_bucket(NEW.resolution_s), 1, NEW.resolution_s);
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER tickets_rollup_ins_del AFTER INSERT OR DELETE ON tickets
  FOR EACH ROW EXECUTE FUNCTION sb_tickets_rollup();
--> statement-breakpoint
CREATE TRIGGER tickets_rollup_upd AFTER UPDATE OF status, priority, category_slug, team_slug, created_at, first_response_at, resolved_at ON tickets
  FOR EACH ROW EXECUTE FUNCTION sb_tickets_rollup();
--> statement-breakpoint
-- Fold pending deltas into the rollups; returns the number of delta rows moved.
-- One folder at a time (transaction-level advisory lock); concurrent callers return 0.
CREATE OR REPLACE FUNCTION sb_fold_stats_deltas() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE moved_counts integer := 0; moved_durations integer := 0;
BEGIN
  IF NOT pg_try_advisory_xact_lock(7305200011) THEN
    RETURN 0;
  END IF;
  WITH moved AS (DELETE FROM ticket_count_deltas RETURNING *),
  agg AS (
    SELECT day, status, priority, category_slug, team_slug, sum(n)::integer AS n, count(*) AS rows
    FROM moved GROUP BY day, status, priority, category_slug, team_slug
  ),
  ins AS (
    INSERT INTO ticket_daily_counts AS r (day, status, priority, category_slug, team_slug, n)
    SELECT day, status, priority, category_slug, team_slug, n FROM agg
    ON CONFLICT (day, status, priority, category_slug, team_slug) DO UPDATE SET n = r.n + EXCLUDED.n
  )
  SELECT coalesce(sum(rows), 0) INTO moved_counts FROM agg;
  WITH moved AS (DELETE FROM ticket_duration_deltas RETURNING *),
  agg AS (
    SELECT day, metric, bucket, sum(n)::integer AS n, sum(sum_s)::bigint AS sum_s, count(*) AS rows
    FROM moved GROUP BY day, metric, bucket
  ),
  ins AS (
    INSERT INTO ticket_duration_rollup AS r (day, metric, bucket, n, sum_s)
    SELECT day, metric, bucket, n, sum_s FROM agg
    ON CONFLICT (day, metric, bucket) DO UPDATE SET n = r.n + EXCLUDED.n, sum_s = r.sum_s + EXCLUDED.sum_s
  )
  SELECT coalesce(sum(rows), 0) INTO moved_durations FROM agg;
  DELETE FROM ticket_daily_counts WHERE n = 0;
  DELETE FROM ticket_duration_rollup WHERE n = 0;
  RETURN moved_counts + moved_durations;
END
$$;
--> statement-breakpoint
-- Recompute the rollups from the tickets table (after a bulk load with triggers disabled, or
-- as a repair). Blocks ticket writes while it runs (SHARE lock), so the result is exact.
CREATE OR REPLACE FUNCTION sb_rebuild_stats_rollups() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE tickets IN SHARE MODE;
  PERFORM pg_advisory_xact_lock(7305200011);
  DELETE FROM ticket_count_deltas;
  DELETE FROM ticket_duration_deltas;
  DELETE FROM ticket_daily_counts;
  DELETE FROM ticket_duration_rollup;
  INSERT INTO ticket_daily_counts (day, status, priority, category_slug, team_slug, n)
  SELECT sb_utc_day(created_at), status, priority, category_slug, coalesce(team_slug, ''), count(*)::int
  FROM tickets GROUP BY 1, 2, 3, 4, 5;
  INSERT INTO ticket_duration_rollup (day, metric, bucket, n, sum_s)
  SELECT sb_utc_day(created_at), 1, sb_duration_bucket(first_response_s), count(*)::int, sum(first_response_s)::bigint
  FROM tickets WHERE first_response_s IS NOT NULL GROUP BY 1, 2, 3;
  INSERT INTO ticket_duration_rollup (day, metric, bucket, n, sum_s)
  SELECT sb_utc_day(created_at), 2, sb_duration_bucket(resolution_s), count(*)::int, sum(resolution_s)::bigint
  FROM tickets WHERE resolution_s IS NOT NULL GROUP BY 1, 2, 3;
END
$$;
