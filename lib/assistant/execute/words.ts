import type { Status, WaitingReason } from "@/db/schema/enums";

/** A status as people say it: `in_progress` → "in progress". */
export const statusWord = (s: Status | string): string => s.replace("_", " ");

/** On whom a ticket waits, as people say it: "the requester", "a third party". */
export const waitingWord = (r: WaitingReason | string | null | undefined): string => (r === "third_party" ? "a third party" : "the requester");
