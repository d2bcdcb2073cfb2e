import "server-only";
import { ZodError } from "zod";
import type { Db } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { ApiError, fromDatabaseError } from "@/lib/http/errors";
import { AssistantOpSchema, type AssistantOp, type AssistantOpName } from "../ops";
import { runBulk, runConfirmedBulk } from "./bulk";
import { runCreateCategory } from "./category";
import { helpFor } from "./help";
import { runList, runStats } from "./read-ops";
import type { ExecuteResult } from "./result";
import { runAssign, runComment, runCreate, runResolve, runShow, runUpdate } from "./ticket-ops";

export { helpFor } from "./help";
export type { ExecuteResult } from "./result";

/** Options of one run. */
export interface ExecuteContext {
  /** "Now" for the SLA clock, default day boundaries and token expiry; default the real time. */
  now?: Date;
  /** IANA zone for day boundaries and dates in messages; default SLA_TIME_ZONE, else the server's, else UTC. */
  timeZone?: string;
}

type Runner<K extends AssistantOpName> = (db: Db, op: Extract<AssistantOp, { op: K }>, p: Principal, ctx: ExecuteContext) => Promise<ExecuteResult>;

/** One runner per operation. */
const RUNNERS: { [K in AssistantOpName]: Runner<K> } = {
  create: runCreate,
  update: runUpdate,
  assign: runAssign,
  comment: runComment,
  resolve: runResolve,
  show: runShow,
  list: runList,
  stats: runStats,
  bulk: runBulk,
  create_category: runCreateCategory,
  help: async (_db, _op, p) => ({ op: "help", ok: true, data: { kind: "help", examples: helpFor(p) }, message: "Here is what you can ask me." }),
};

/** Turn what the caller got wrong into a 4xx: zod issues → 400, database rule violations → 4xx. */
function asApiError(err: unknown): unknown {
  if (err instanceof ApiError) return err;
  if (err instanceof ZodError) {
    return new ApiError("validation_error", err.issues[0]?.message ?? "Invalid operation", {
      issues: err.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  return fromDatabaseError(err) ?? err;
}

/**
 * Run one assistant operation as `principal`, through the ticket services and with the caller's
 * permissions (the op is parsed again with AssistantOpSchema first, whoever produced it).
 * `ok` is false only when nothing ran because the input was ambiguous (`data.kind`
 * "candidates", e.g. "maria" matches two agents). A bulk op only answers with a confirmation
 * (`data.kind` "confirm"); {@link executeConfirmed} runs it. `ticketId` is the ticket the op was
 * about (for the conversation), when there is one.
 * @throws ApiError 400 invalid op; 403 not allowed (requesters changing tickets, agents creating
 *   categories, breaches for requesters); 404 unknown ticket or one the caller may not see; 409
 *   invalid status transition; 422 unknown category/team/person, no requester for an API key,
 *   a bulk op matching more than 200 tickets. Never a 500 for bad input.
 */
export async function executeOp(db: Db, op: AssistantOp, principal: Principal, ctx: ExecuteContext = {}): Promise<ExecuteResult> {
  try {
    const parsed = AssistantOpSchema.safeParse(op);
    if (!parsed.success) throw parsed.error;
    const o = parsed.data;
    const run = RUNNERS[o.op] as Runner<typeof o.op>;
    return await run(db, o as never, principal, ctx);
  } catch (err) {
    throw asApiError(err);
  }
}

/**
 * Run a bulk operation the caller confirmed: `token` is `data.token` of its confirmation answer.
 * Applies the action to exactly the tickets it named, one transaction per ticket (see
 * runConfirmedBulk); answers `data.kind` "bulk" with per-ticket results.
 * @throws ApiError 400 for a malformed, tampered, expired or other caller's token; 403 when the
 *   caller is no longer an agent.
 */
export async function executeConfirmed(db: Db, token: string, principal: Principal, ctx: ExecuteContext = {}): Promise<ExecuteResult> {
  try {
    return await runConfirmedBulk(db, token, principal, ctx);
  } catch (err) {
    throw asApiError(err);
  }
}
