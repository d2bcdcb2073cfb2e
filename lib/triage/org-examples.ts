import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { logger } from "@/lib/observability/logger";
import { EmbeddingExampleSource } from "./examples";
import type { ExampleSource, LabelledExample } from "./llm-classifier";
import { localModel } from "./local-classifier";
import { normalizeTicketText } from "./local/normalize";

/** Most recent agent-reviewed tickets used as few-shot candidates. */
const MAX_EXAMPLES = 20_000;
/** Reload the candidates at most this often, in ms (5 minutes). */
const RELOAD_MS = 5 * 60_000;

/**
 * Few-shot examples for LLM triage: the organisation's own tickets whose category an agent
 * confirmed (reviewed or corrected), nearest to the new ticket by embedding. Loaded on the first
 * LLM call and refreshed every 5 minutes, in the background after the first load.
 */
class OrgExamples implements ExampleSource {
  private source: EmbeddingExampleSource | null = null;
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  nearest(normalizedText: string, k: number): LabelledExample[] {
    return this.source ? this.source.nearest(normalizedText, k) : [];
  }

  /**
   * Make sure examples are loaded. Until the first load has succeeded, each caller loads on its
   * own `db` and waits for it; later reloads run once, in the background, on a pool connection
   * nobody waits for. (A caller inside a transaction must never wait for a query queued on
   * another connection: with every pool connection held by such callers it would never run.)
   */
  async ensure(db: DbOrTx): Promise<void> {
    if (Date.now() - this.loadedAt < RELOAD_MS) return;
    if (!this.source) return this.load(db);
    this.loading ??= getDb()
      .then((pool) => this.load(pool))
      .catch((err: unknown) => logger.warn({ err }, "reloading few-shot examples failed"))
      .finally(() => {
        this.loading = null;
      });
  }

  private async load(db: DbOrTx): Promise<void> {
    try {
      const found = await rows<{ title: string; description: string; category: string }>(
        db,
        sql`SELECT t.title, t.description, d.final_category AS category
            FROM triage_decisions d JOIN tickets t ON t.id = d.ticket_id
            WHERE d.reviewed_at IS NOT NULL ORDER BY d.reviewed_at DESC LIMIT ${MAX_EXAMPLES}`,
      );
      this.source = new EmbeddingExampleSource(
        localModel(),
        found.map((r) => ({ text: normalizeTicketText({ title: r.title, description: r.description }), category: r.category })),
      );
    } catch (err) {
      logger.warn({ err }, "loading few-shot examples failed");
    } finally {
      this.loadedAt = Date.now();
    }
  }
}

const globalForExamples = globalThis as unknown as { __switchboardOrgExamples?: OrgExamples };

/** The process-wide source of the organisation's labelled examples. */
export function orgExamples(): OrgExamples {
  return (globalForExamples.__switchboardOrgExamples ??= new OrgExamples());
}

/** Forget loaded examples (tests). */
export function resetOrgExamples(): void {
  globalForExamples.__switchboardOrgExamples = undefined;
}
