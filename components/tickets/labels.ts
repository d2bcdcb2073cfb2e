import type { Priority, Status, WaitingReason } from "@/db/schema/enums";

/** Display names, shared by server and client components. */
export const STATUS_LABEL: Record<Status, string> = {
  new: "New",
  open: "Open",
  in_progress: "In progress",
  waiting: "Waiting",
  resolved: "Resolved",
  closed: "Closed",
};

/** On whom a waiting ticket waits: the "Waiting on" select's options. */
export const WAITING_REASON_LABEL: Record<WaitingReason, string> = {
  requester: "Requester",
  third_party: "Third party",
};

/** "Waiting on requester" / "Waiting on third party": shown beside the status badge. */
export function waitingOnLabel(reason: WaitingReason): string {
  return `Waiting on ${WAITING_REASON_LABEL[reason].toLowerCase()}`;
}

export const PRIORITY_LABEL: Record<Priority, string> = {
  P1: "P1 · Critical",
  P2: "P2 · High",
  P3: "P3 · Medium",
  P4: "P4 · Low",
};

/** Chart colours: each dark enough for 3:1 against white (non-text contrast). */
export const STATUS_COLOR: Record<Status, string> = {
  new: "#0369a1",
  open: "#1d4ed8",
  in_progress: "#6d28d9",
  waiting: "#b45309",
  resolved: "#047857",
  closed: "#475569",
};

export const PRIORITY_COLOR: Record<Priority, string> = {
  P1: "#b91c1c",
  P2: "#c2410c",
  P3: "#a16207",
  P4: "#475569",
};

/** "ticket.status_changed" → "Status changed"; "comment.reply_added" → "Reply added". */
export function actionLabel(action: string): string {
  const known: Record<string, string> = {
    "ticket.created": "Ticket created",
    "ticket.triage_reviewed": "Triage confirmed",
    "comment.reply_added": "Public reply added",
    "comment.internal_note_added": "Internal note added",
    "attachment.linked": "File attached",
    "attachment.added": "File attached",
    "upload.created": "Upload started",
    "upload.queued": "Sheet queued for checking",
    "upload.deleted": "Upload deleted",
  };
  if (known[action]) return known[action];
  const tail = action.split(".").pop() ?? action;
  const words = tail.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
