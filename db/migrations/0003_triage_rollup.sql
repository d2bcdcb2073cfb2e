-- Triage accounting per day and provider, kept exact through deltas (see 0001_stats_rollups.sql).
CREATE OR REPLACE FUNCTION sb_triage_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO triage_daily_deltas (day, provider, decisions, fallbacks, prompt_tokens, completion_tokens, cost_usd)
    VALUES (sb_utc_day(NEW.created_at), NEW.provider, 1, (NEW.fallback_reason IS NOT NULL)::int,
            NEW.prompt_tokens, NEW.completion_tokens, NEW.cost_usd);
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO triage_daily_deltas (day, provider, decisions, fallbacks, prompt_tokens, completion_tokens, cost_usd)
    VALUES (sb_utc_day(OLD.created_at), OLD.provider, -1, -((OLD.fallback_reason IS NOT NULL)::int),
            -OLD.prompt_tokens, -OLD.completion_tokens, -OLD.cost_usd);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER triage_decisions_rollup AFTER INSERT OR DELETE ON triage_decisions
  FOR EACH ROW EXECUTE FUNCTION sb_triage_rollup();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sb_fold_triage_deltas() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE moved integer := 0;
BEGIN
  WITH m AS (DELETE FROM triage_daily_deltas RETURNING *),
  agg AS (
    SELECT day, provider, sum(decisions)::int AS decisions, sum(fallbacks)::int AS fallbacks,
           sum(prompt_tokens)::bigint AS prompt_tokens, sum(completion_tokens)::bigint AS completion_tokens,
           sum(cost_usd) AS cost_usd, count(*) AS rows
    FROM m GROUP BY day, provider
  ),
  ins AS (
    INSERT INTO triage_daily AS r (day, provider, decisions, fallbacks, prompt_tokens, completion_tokens, cost_usd)
    SELECT day, provider, decisions, fallbacks, prompt_tokens, completion_tokens, cost_usd FROM agg
    ON CONFLICT (day, provider) DO UPDATE SET decisions = r.decisions + EXCLUDED.decisions,
      fallbacks = r.fallbacks + EXCLUDED.fallbacks, prompt_tokens = r.prompt_tokens + EXCLUDED.prompt_tokens,
      completion_tokens = r.completion_tokens + EXCLUDED.completion_tokens, cost_usd = r.cost_usd + EXCLUDED.cost_usd
  )
  SELECT coalesce(sum(rows), 0) INTO moved FROM agg;
  DELETE FROM triage_daily WHERE decisions = 0;
  RETURN moved;
END
$$;
--> statement-breakpoint
-- The folder now folds both families of deltas (same advisory lock).
CREATE OR REPLACE FUNCTION sb_fold_all_deltas() RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(7305200012) THEN
    RETURN 0;
  END IF;
  RETURN sb_fold_stats_deltas() + sb_fold_triage_deltas();
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sb_rebuild_triage_rollup() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE triage_decisions IN SHARE MODE;
  DELETE FROM triage_daily_deltas;
  DELETE FROM triage_daily;
  INSERT INTO triage_daily (day, provider, decisions, fallbacks, prompt_tokens, completion_tokens, cost_usd)
  SELECT sb_utc_day(created_at), provider, count(*)::int, count(fallback_reason)::int, sum(prompt_tokens)::bigint,
         sum(completion_tokens)::bigint, sum(cost_usd)
  FROM triage_decisions GROUP BY 1, 2;
END
$$;
