/*
 * The window event that opens the command bar from elsewhere on the page (the history pages'
 * "Continue" button). Client-only helpers; no server imports.
 */

/** Name of the CustomEvent the command bar listens to on `window`. */
export const OPEN_ASSISTANT_EVENT = "switchboard:open-assistant";

/** What an open request may carry: continue this conversation, and/or prefill the input. */
export interface OpenAssistantDetail {
  conversationId?: string;
  /** Shown above the input while continuing ("Continuing: take T-12"). */
  title?: string;
  text?: string;
}

/** Open the command bar (mounted in the header for agents and admins). */
export function openAssistant(detail: OpenAssistantDetail = {}): void {
  window.dispatchEvent(new CustomEvent<OpenAssistantDetail>(OPEN_ASSISTANT_EVENT, { detail }));
}
