-- The search vocabulary (search_terms): the distinct words of ticket titles and descriptions,
-- unstemmed and lower-case ('simple' config), letters only, 3 to 40 characters. Typo-tolerant
-- search (lib/search/corrections.ts) picks corrections for a query word from it by trigram
-- similarity (pg_trgm, GIN index search_terms_trgm_idx).
--
-- A trigger keeps it current in the writing transaction, so every app instance sees the same
-- vocabulary. Concurrency: new words are inserted ON CONFLICT DO NOTHING in sorted order (no
-- lock on existing rows); doc_count is only bumped while it is below 20 (the range where it
-- decides whether a word is rare), and rows another transaction holds are skipped rather than
-- waited for, so concurrent ingest never queues behind a common word such as "please".
-- doc_count is therefore exact below 20 and a lower bound above (the rebuild makes it exact).
-- plpgsql, not sql: a session keeps its plan, where a (non-inlinable) sql function called from
-- the trigger would be planned again in every ticket-writing transaction.
CREATE OR REPLACE FUNCTION sb_search_words(doc text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(w ORDER BY w), '{}')
            FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, coalesce(doc, '')))) w
           WHERE length(w) BETWEEN 3 AND 40 AND w ~ '^[[:alpha:]]+$');
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sb_search_terms_add(words text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  added text[];
BEGIN
  IF words IS NULL OR cardinality(words) = 0 THEN RETURN; END IF;
  WITH ins AS (
    INSERT INTO search_terms (term, doc_count)
    SELECT w, 1 FROM unnest(words) w ORDER BY w
    ON CONFLICT (term) DO NOTHING
    RETURNING term
  ) SELECT coalesce(array_agg(term), '{}') INTO added FROM ins;
  UPDATE search_terms s SET doc_count = s.doc_count + 1
   WHERE s.term IN (SELECT l.term FROM search_terms l
                     WHERE l.term = ANY (words) AND l.term <> ALL (added) AND l.doc_count < 20
                     ORDER BY l.term FOR UPDATE SKIP LOCKED);
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sb_tickets_search_terms() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM sb_search_terms_add(sb_search_words(NEW.title || ' ' || NEW.description));
  ELSIF NEW.title IS DISTINCT FROM OLD.title OR NEW.description IS DISTINCT FROM OLD.description THEN
    -- Only the words this edit introduces count as new documents.
    PERFORM sb_search_terms_add(ARRAY(
      SELECT w FROM unnest(sb_search_words(NEW.title || ' ' || NEW.description)) w
      EXCEPT SELECT unnest(sb_search_words(OLD.title || ' ' || OLD.description))));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER tickets_search_terms AFTER INSERT OR UPDATE OF title, description ON tickets
  FOR EACH ROW EXECUTE FUNCTION sb_tickets_search_terms();
--> statement-breakpoint
-- Rebuild from every ticket with exact counts (the backfill below; bulk loads that disable the
-- trigger call it afterwards).
CREATE OR REPLACE FUNCTION sb_rebuild_search_terms() RETURNS void
LANGUAGE sql AS $$
  INSERT INTO search_terms (term, doc_count)
  SELECT w, count(*)::int FROM tickets, unnest(sb_search_words(title || ' ' || description)) w GROUP BY w
  ON CONFLICT (term) DO UPDATE SET doc_count = EXCLUDED.doc_count;
$$;
--> statement-breakpoint
SELECT sb_rebuild_search_terms();
