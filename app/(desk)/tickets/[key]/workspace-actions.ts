"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { currentPrincipal } from "@/lib/auth/session";
import { toErrorState } from "@/lib/forms/action-errors";
import { fieldErrorsFromIssues } from "@/lib/forms/form-state";
import { addLink, LinkBodySchema, removeLink } from "@/lib/tickets/links";
import { MergeBodySchema, mergeTicket } from "@/lib/tickets/merge";
import type { LinkState, MergeState } from "@/lib/tickets/links-schema";
import { setTicketTags, TagsBodySchema } from "@/lib/tickets/tags";
import type { TagsState } from "@/lib/tickets/tags-schema";
import { textArg } from "@/lib/forms/action-args";

/*
 * Server actions of the ticket page's tags, related-tickets and merge cards. Each validates
 * with the route's zod schema, calls the same lib service as the API and returns a form state
 * (never throws).
 */


const SIGNED_OUT = { status: "error", message: "Your session has ended. Sign in again to continue.", fieldErrors: {} } as const;
const record = (raw: unknown) => (raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {});

/** Replace the ticket's tags with `{tags: string[]}`. */
export async function tagsAction(key: string, _prev: TagsState, raw: unknown): Promise<TagsState> {
  key = textArg(key);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = TagsBodySchema.safeParse({ tags: record(raw).tags });
    if (!parsed.success) return { status: "error", message: parsed.error.issues[0]?.message ?? "Check the tags", fieldErrors: fieldErrorsFromIssues<"tags">(parsed.error.issues) };
    const r = await setTicketTags(await getDb(), key, parsed.data.tags, principal);
    revalidatePath(`/tickets/${key}`);
    return { status: "success", message: r.changed ? "Tags saved." : "Tags unchanged.", data: { tags: r.tags } };
  } catch (err) {
    return toErrorState<"tags">(err, "tagsAction");
  }
}

/** Relate (`op: "add"`) or unrelate (`op: "remove"`) the ticket and `{key}`. */
export async function linkAction(key: string, _prev: LinkState, raw: unknown): Promise<LinkState> {
  key = textArg(key);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const src = record(raw);
    const op = src.op === "remove" ? "remove" : "add";
    const parsed = LinkBodySchema.safeParse({ key: src.key });
    if (!parsed.success) return { status: "error", message: "Enter a ticket key like T-123", fieldErrors: fieldErrorsFromIssues<"key">(parsed.error.issues) };
    const other = parsed.data.key;
    const db = await getDb();
    let message: string;
    if (op === "add") {
      const r = await addLink(db, key, other, principal);
      message = r.added ? `${other} is now related.` : `${other} was already related.`;
    } else {
      await removeLink(db, key, other, principal);
      message = `${other} is no longer related.`;
    }
    revalidatePath(`/tickets/${key}`);
    revalidatePath(`/tickets/${other}`);
    return { status: "success", message, data: { key: other, op } };
  } catch (err) {
    return toErrorState<"key">(err, "linkAction");
  }
}

/** Merge this ticket into `{into}` (see lib/tickets/merge.ts). */
export async function mergeAction(key: string, _prev: MergeState, raw: unknown): Promise<MergeState> {
  key = textArg(key);
  try {
    const principal = await currentPrincipal();
    if (!principal) return SIGNED_OUT;
    const parsed = MergeBodySchema.safeParse({ into: record(raw).into });
    if (!parsed.success) return { status: "error", message: "Enter a ticket key like T-123", fieldErrors: fieldErrorsFromIssues<"into">(parsed.error.issues) };
    const r = await mergeTicket(await getDb(), key, parsed.data.into, principal);
    revalidatePath(`/tickets/${key}`);
    revalidatePath(`/tickets/${r.into}`);
    return { status: "success", message: `Merged ${r.merged} into ${r.into} (${r.movedComments} comments moved).`, data: { into: r.into } };
  } catch (err) {
    return toErrorState<"into">(err, "mergeAction");
  }
}
