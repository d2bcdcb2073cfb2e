import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { chatConversations, chatMessages } from "@/db/schema";
import type { Principal } from "@/lib/auth/principal";
import { ownedBy, recordExchange, ticketIdByKey } from "../history";
import type { TicketSuggestions } from "./types";

/** The question stored for a suggestion exchange; also how a ticket's suggestion conversation is found again. */
export function suggestQuestion(ticketKey: string): string {
  return `Suggest a reply and next actions for ${ticketKey}`;
}

/** The chat-history text of a suggestion: the reply, then the next actions' labels. */
export function suggestionMessage(s: TicketSuggestions): string {
  const actions = s.actions.length ? `Next actions: ${s.actions.map((a) => a.label).join("; ")}.` : "No next actions.";
  return s.reply ? `${s.reply.text}\n\n${actions}` : actions;
}

/**
 * Store a per-ticket suggestion in the caller's chat history (op `suggest`, linked to the
 * ticket). One conversation per person and ticket: later suggestions continue it, so the
 * history lists a ticket's suggestions once instead of once per page view; an answer identical
 * to the conversation's last one (same text, same provider: the template path on an unchanged
 * ticket) is not stored again.
 * @returns the conversation id.
 */
export async function recordSuggestion(db: DbOrTx, principal: Principal, s: TicketSuggestions): Promise<{ conversationId: string }> {
  const ticketId = await ticketIdByKey(db, s.ticketKey);
  const question = suggestQuestion(s.ticketKey);
  const message = suggestionMessage(s);
  const [conv] =
    ticketId === null
      ? []
      : await db
          .select({ id: chatConversations.id })
          .from(chatConversations)
          .where(and(ownedBy(principal), eq(chatConversations.ticketId, ticketId), eq(chatConversations.title, question)))
          .orderBy(desc(chatConversations.updatedAt))
          .limit(1);
  if (conv) {
    const [last] = await db
      .select({ content: chatMessages.content, provider: chatMessages.provider, op: chatMessages.op })
      .from(chatMessages)
      .where(and(eq(chatMessages.conversationId, conv.id), eq(chatMessages.role, "assistant")))
      .orderBy(desc(chatMessages.id))
      .limit(1);
    if (last && last.op === "suggest" && last.content === message && last.provider === s.provenance.provider) return { conversationId: conv.id };
  }
  return recordExchange(db, {
    principal,
    conversationId: conv?.id,
    ticketId,
    userText: question,
    response: { op: "suggest", ok: true, data: null, message },
    provenance: { ...s.provenance, fallbackReason: s.fallbackReason },
  });
}
