-- A typo lookup must see the words of every ticket committed before it (lib/search/corrections.ts).
-- 0017's fold returned 0 at once when another fold held the lock, so a lookup racing a worker's
-- 2-second fold ran before that fold had committed, and missed the newest ticket's words (seen
-- as a rare e2e failure: a ticket created a moment before was not found by a misspelt word).
-- With wait = true the caller waits for the running fold to commit, then folds what is left;
-- each statement of this VOLATILE function takes a new snapshot, so the DELETE after the wait
-- sees that fold's result. Workers keep calling it without arguments (wait = false, never blocks).
DROP FUNCTION IF EXISTS sb_fold_search_terms();
--> statement-breakpoint
CREATE FUNCTION sb_fold_search_terms(wait boolean DEFAULT false) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE moved integer := 0;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM search_terms_pending) THEN
    RETURN 0;
  END IF;
  IF wait THEN
    PERFORM pg_advisory_xact_lock(7305200017);
  ELSIF NOT pg_try_advisory_xact_lock(7305200017) THEN
    RETURN 0;
  END IF;
  WITH gone AS (DELETE FROM search_terms_pending RETURNING words),
  agg AS (SELECT w, count(*)::int AS docs FROM gone, unnest(words) w GROUP BY w),
  ins AS (
    INSERT INTO search_terms AS s (term, doc_count)
    SELECT w, docs FROM agg ORDER BY w
    ON CONFLICT (term) DO UPDATE SET doc_count = s.doc_count + EXCLUDED.doc_count WHERE s.doc_count < 20
  )
  SELECT count(*)::int INTO moved FROM gone;
  RETURN moved;
END;
$$;
