/*
 * The window event by which the ticket assistant panel hands a suggested reply to the reply box
 * (components/tickets/reply-form.tsx). The reply box only fills in the text: nothing is sent
 * until the agent clicks "Send reply". Client-only; no server imports.
 */

/** Name of the CustomEvent (detail {@link InsertReplyDetail}) on `window`. */
export const INSERT_REPLY_EVENT = "switchboard:insert-reply";

export interface InsertReplyDetail {
  text: string;
}

/** Ask the reply box on the page to take `text` (appended after a blank line when it has text). */
export function insertReply(text: string): void {
  window.dispatchEvent(new CustomEvent<InsertReplyDetail>(INSERT_REPLY_EVENT, { detail: { text } }));
}

/** The reply box's new body: `text` alone, or after the current text and a blank line; at most `max` characters. */
export function appendReply(current: string, text: string, max: number): string {
  const base = current.replace(/\s+$/, "");
  return (base ? `${base}\n\n${text}` : text).slice(0, max);
}
