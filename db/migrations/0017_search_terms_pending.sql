CREATE TABLE "search_terms_pending" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "search_terms_pending_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"words" text[] NOT NULL
);
--> statement-breakpoint
-- The search vocabulary, maintained in batches (supersedes 0012's in-transaction upkeep).
-- 0012's trigger inserted every new word of a ticket into search_terms in the ticket's own
-- transaction. On a young desk (most words still new) concurrent ticket writes waited on each
-- other (INSERT … ON CONFLICT waits for another transaction's uncommitted insert of the same
-- word) and spent their CPU in the trigram index: `npm run test:load` with only creates went from
-- 26 to 47 req/s when the trigger was turned off 25 s into a 40 s run. Now the trigger (same
-- name, same function sb_tickets_search_terms) only appends the words to search_terms_pending,
-- which never waits, and sb_fold_search_terms() folds them into search_terms: every 2 s in each
-- worker process and before every typo lookup (lib/search/vocabulary.ts), one folder at a time
-- across instances (transaction-level advisory lock). doc_count stays exact below 20 and a lower
-- bound from 20 on (a word's count is no longer raised once it has reached 20).
CREATE OR REPLACE FUNCTION sb_search_terms_add(words text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF words IS NULL OR cardinality(words) = 0 THEN RETURN; END IF;
  INSERT INTO search_terms_pending (words) VALUES (words);
END;
$$;
--> statement-breakpoint
-- Fold pending words into search_terms; returns the number of pending rows moved. Concurrent
-- callers return 0 at once (another fold is running; rows committed meanwhile wait for the next).
CREATE OR REPLACE FUNCTION sb_fold_search_terms() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE moved integer := 0;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM search_terms_pending) THEN
    RETURN 0;
  END IF;
  IF NOT pg_try_advisory_xact_lock(7305200017) THEN
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
--> statement-breakpoint
-- Rebuild from every ticket with exact counts (bulk loads that disable the trigger call it
-- afterwards). Blocks ticket writes while it runs (SHARE lock) and drops the pending words,
-- which the rebuild counts itself.
CREATE OR REPLACE FUNCTION sb_rebuild_search_terms() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE tickets IN SHARE MODE;
  PERFORM pg_advisory_xact_lock(7305200017);
  DELETE FROM search_terms_pending;
  INSERT INTO search_terms (term, doc_count)
  SELECT w, count(*)::int FROM tickets, unnest(sb_search_words(title || ' ' || description)) w GROUP BY w
  ON CONFLICT (term) DO UPDATE SET doc_count = EXCLUDED.doc_count;
END;
$$;
