"use server";

import { headers } from "next/headers";
import { clientIp as clientIpFrom } from "@/lib/http/client-ip";
import { getDb } from "@/db/client";
import { toErrorState } from "@/lib/forms/action-errors";
import { fieldErrorsFromIssues } from "@/lib/forms/form-state";
import { isStaff, type Principal } from "@/lib/auth/principal";
import { currentPrincipal } from "@/lib/auth/session";
import { publicSubmissionsEnabled } from "@/lib/env";
import { consume } from "@/lib/rate-limit";
import { getReferenceData } from "@/lib/reference/cache";
import { findingTicketDraft } from "@/lib/files/uploads/finding-ticket";
import { ApiError } from "@/lib/http/errors";
import { createTicket } from "@/lib/tickets/create-ticket";
import { ClassifySchema, CreateTicketSchema } from "@/lib/tickets/schemas";
import { suggestTriage } from "@/lib/tickets/suggest";
import type { SimilarTicketView, SubmitField, SubmitTicketState, SuggestResult } from "@/components/tickets/submit-form-state";

/** Anonymous submissions per IP: 10 tickets and 60 suggestions a minute, counted across all instances (lib/rate-limit.ts). */
const SUBMIT_LIMIT = { limit: 10, windowMs: 60_000 };
const SUGGEST_LIMIT = { limit: 60, windowMs: 60_000 };
const FIELDS: readonly SubmitField[] = ["title", "description", "email", "category", "priority", "module", "project"];

/** The submitter's IP for per-IP limits (forwarded headers count only from TRUSTED_PROXIES: lib/http/client-ip.ts). */
async function clientIp(): Promise<string> {
  return clientIpFrom(await headers());
}

/** Keep only the form's fields (the schema is strict) and drop empty optional values; `attachmentIds` is checked by the schema. */
function pickInput(raw: unknown): Record<string, unknown> {
  const src = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const v = src[f];
    if (typeof v === "string" && (v !== "" || f === "title" || f === "description" || f === "email")) out[f] = v;
  }
  if (Array.isArray(src.attachmentIds) && src.attachmentIds.length > 0) out.attachmentIds = src.attachmentIds;
  // The optional department select (GET /api/departments' list): its slug as the ticket's team.
  if (typeof src.team === "string" && src.team !== "") out.team = src.team;
  return out;
}

/**
 * The ticket metadata linking back to a sheet finding, when the form was drafted from one
 * (`fromUpload` + `fromFinding`). Derived again here from the upload the caller may see, so a
 * browser cannot put arbitrary metadata on a ticket.
 * @returns undefined when the form was not drafted from a finding
 * @throws ApiError 404 when the upload or finding is gone or not visible to the caller
 */
async function findingMetadata(raw: unknown, principal: Principal | null): Promise<Record<string, unknown> | undefined> {
  const src = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  if (src.fromUpload === undefined && src.fromFinding === undefined) return undefined;
  const upload = typeof src.fromUpload === "string" ? src.fromUpload : "";
  const finding = typeof src.fromFinding === "string" || typeof src.fromFinding === "number" ? String(src.fromFinding) : "";
  if (!principal || !/^\d{1,9}$/.test(finding)) throw new ApiError("not_found", "The finding this ticket was drafted from is not available");
  const draft = await findingTicketDraft(await getDb(), principal, upload, Number(finding));
  return draft.metadata;
}

/**
 * File a ticket from the /submit form. Validates with CreateTicketSchema (the same schema the
 * form checks client-side), rate-limits anonymous submitters per IP, and files under the
 * signed-in user's e-mail when there is one. `attachmentIds` (checked uploads of the caller)
 * are linked in the ticket's transaction; a department picked above the form is sent as `team`
 * (it wins over the category's team); a form drafted from a sheet finding gets the
 * finding's metadata (`{upload: {id, filename, kind, finding, code}}`). Never throws: errors
 * come back as form state.
 */
export async function submitTicketAction(_prev: SubmitTicketState, raw: unknown): Promise<SubmitTicketState> {
  try {
    const principal = await currentPrincipal();
    if (!principal && !publicSubmissionsEnabled()) {
      return { status: "error", message: "Sign in to submit a ticket.", fieldErrors: {} };
    }
    if (!principal) {
      const limit = await consume(`submit:${await clientIp()}`, SUBMIT_LIMIT);
      if (!limit.ok) {
        return {
          status: "error",
          message: `Too many tickets from your network in the last minute. Please wait ${limit.retryAfterS} s and try again.`,
          fieldErrors: {},
        };
      }
    }
    const input = pickInput(raw);
    if (principal?.email) input.email = principal.email;
    const metadata = await findingMetadata(raw, principal);
    if (metadata) input.metadata = metadata;
    const parsed = CreateTicketSchema.safeParse(input);
    if (!parsed.success) {
      return {
        status: "error",
        message: "Please correct the highlighted fields.",
        fieldErrors: fieldErrorsFromIssues<SubmitField>(parsed.error.issues),
      };
    }
    const db = await getDb();
    const { ticket } = await createTicket(db, parsed.data, { principal, defaultSource: "web" });
    const ref = await getReferenceData(db);
    return {
      status: "success",
      message: `Ticket ${ticket.key} created`,
      data: {
        key: ticket.key,
        title: ticket.title,
        category: ticket.category,
        categoryName: ref.categoryBySlug.get(ticket.category)?.name ?? ticket.category,
        priority: ticket.priority,
        team: ticket.team,
        teamName: ticket.team ? (ref.teamBySlug.get(ticket.team)?.name ?? ticket.team) : null,
        trackUrl: !principal ? null : isStaff(principal) ? `/tickets/${ticket.key}` : `/requests/${ticket.key}`,
        attachments: parsed.data.attachmentIds ? new Set(parsed.data.attachmentIds).size : 0,
      },
    };
  } catch (err) {
    return toErrorState<SubmitField>(err, "submitTicketAction");
  }
}

/** Suggest category, priority and team for the text typed so far (writes nothing). */
export async function suggestTriageAction(input: { title?: string; description: string }): Promise<SuggestResult> {
  try {
    const principal = await currentPrincipal();
    if (!principal) {
      if (!publicSubmissionsEnabled()) return { ok: false, message: "Sign in to get suggestions." };
      if (!(await consume(`suggest:${await clientIp()}`, SUGGEST_LIMIT)).ok) {
        return { ok: false, message: "Suggestions are paused for a minute (too many requests)." };
      }
    }
    const parsed = ClassifySchema.safeParse({
      title: typeof input?.title === "string" && input.title.trim() ? input.title : undefined,
      description: typeof input?.description === "string" ? input.description : "",
    });
    if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? "Invalid input" };
    // The principal decides which similar tickets come back: staff any, requesters their own, anonymous none.
    const s = await suggestTriage(await getDb(), parsed.data, principal);
    const base = isStaff(principal) ? "/tickets" : "/requests";
    return {
      ok: true,
      suggestion: {
        category: s.category,
        priority: s.priority,
        team: s.team,
        confidence: s.confidence,
        alternatives: s.alternatives,
        provider: s.provider,
        model: s.model,
      },
      similar: s.similar.map((t) => ({ key: t.key, title: t.title, status: t.status, similarity: t.similarity, href: `${base}/${t.key}` })),
    };
  } catch (err) {
    const state = toErrorState(err, "suggestTriageAction");
    return { ok: false, message: state.message };
  }
}
