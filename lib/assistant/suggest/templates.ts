/*
 * The assistant's wording when no LLM writes it: the reply templates and, per category, the
 * detail an agent usually needs before working a ticket. Pure functions; one place to edit.
 */

/** What a ticket of a category should say, and how to ask for it. */
interface DetailNeed {
  /** What is needed, for labels ("device model and asset tag"). */
  need: string;
  /** The question to the requester. */
  question: string;
  /** Text that shows the detail was given. */
  given: RegExp;
}

const CATEGORY_DETAILS: Record<string, DetailNeed> = {
  hardware: {
    need: "device model and asset tag",
    question: "Could you tell us the device model and its asset tag (the sticker on the device), and where it is located?",
    given: /\basset\b|\btag\b|\bmodel\b|\bserial\b|\b[A-Z]{2,}[- ]?\d{3,}\b/i,
  },
  access: {
    need: "system and account name",
    question: "Which system are you trying to access, and with which account (user name)? The exact error message would help too.",
    given: /\b(account|user ?name|user ?id|login id)\b.*\b(sap|vpn|outlook|jira|portal|system|app|erp|crm|sharepoint|teams)\b|\b(sap|vpn|outlook|jira|portal|erp|crm|sharepoint|teams)\b.*\b(account|user ?name|user ?id)\b/i,
  },
  "administrative-rights": {
    need: "machine name and what to install",
    question: "Which computer (its name or asset tag) needs the rights, which software do you need to install, and for what purpose?",
    given: /\b(install|software|application)\b.*\b(pc|laptop|computer|machine|asset)\b|\b(pc|laptop|computer|machine|asset)\b.*\b(install|software|application)\b/i,
  },
  storage: {
    need: "path and size",
    question: "Which share, folder path or mailbox is affected, and how much space do you need?",
    given: /[\\/]{1,2}\w|\b\d+\s?(gb|mb|tb)\b|\bmailbox\b.*\b(full|quota)\b/i,
  },
  "hr-support": {
    need: "HR tool and dates",
    question: "Which HR tool is this about, for which dates, and what happens when you try (an error message or a screenshot helps)?",
    given: /\b\d{1,2}[./-]\d{1,2}\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\b.*\b(timesheet|leave|payroll|workday|sap)\b/i,
  },
  purchase: {
    need: "item, quantity and cost centre",
    question: "What exactly should we order (item and quantity), for which cost centre, and who approves the purchase?",
    given: /\bcost cent(er|re)\b|\bpo\b|\bpurchase order\b.*\b\d+\b/i,
  },
  "internal-project": {
    need: "project and deadline",
    question: "Which project is this for, what exactly do you need set up, and by when?",
    given: /\bproject\b.*\b(by|until|deadline|due)\b/i,
  },
};

const GENERIC: DetailNeed = {
  need: "what happens and since when",
  question: "Could you describe what happens (the exact error message, if any), since when, and whether anyone else is affected?",
  given: /\berror\b.*\b(since|when|after)\b/i,
};

/** Descriptions shorter than this many words are too vague to work on without asking. */
export const MIN_DESCRIPTION_WORDS = 12;

/**
 * The detail to ask the requester for, or null when the description looks complete enough:
 * long enough ({@link MIN_DESCRIPTION_WORDS} words) and containing what its category needs.
 */
export function missingDetail(category: string, title: string, description: string): { need: string; question: string; short: boolean } | null {
  const d = CATEGORY_DETAILS[category] ?? GENERIC;
  const words = description.trim().split(/\s+/).filter(Boolean).length;
  const short = words < MIN_DESCRIPTION_WORDS;
  if (!short && d.given.test(`${title}\n${description}`)) return null;
  return { need: d.need, question: d.question, short };
}

/** "alice" → "Alice", "john.smith" → "John Smith": a name to greet someone by when only the e-mail is known. */
export function nameFromEmail(email: string): string {
  const local = email.split("@")[0] ?? "";
  const words = local.split(/[._-]+/).filter((w) => /[a-z]/i.test(w));
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join(" ");
}

/** Clip to `n` characters at a word boundary, with an ellipsis. */
export function clipText(s: string, n: number): string {
  const t = s.trim().replace(/\s+/g, " ");
  if (t.length <= n) return t;
  const cut = t.slice(0, n);
  const at = cut.lastIndexOf(" ");
  return `${(at > n * 0.6 ? cut.slice(0, at) : cut).replace(/[\s,.;:]+$/, "")}…`;
}

export interface ReplyInput {
  requesterName: string;
  ticketKey: string;
  title: string;
  /** The agent's name for the sign-off, or null (then "The service desk"). */
  agentName: string | null;
  /** A similar resolved ticket's fix. */
  fix?: { key: string; resolution: string } | null;
  /** The question for missing details. */
  question?: string | null;
}

/** Maximum characters of a quoted resolution in a reply. */
const MAX_FIX_CHARS = 600;

/**
 * The template reply: greets the requester, acknowledges the ticket, then proposes the fix of a
 * similar resolved ticket (citing its key) when there is one, else asks for the missing detail.
 */
export function templateReply(r: ReplyInput): string {
  const hello = r.requesterName ? `Hello ${r.requesterName},` : "Hello,";
  const ack = `Thank you for your request ${r.ticketKey} ("${clipText(r.title, 120)}"). We are looking into it.`;
  const body: string[] = [];
  if (r.fix) {
    const fix = clipText(r.fix.resolution, MAX_FIX_CHARS);
    body.push(`A similar issue (${r.fix.key}) was fixed by: ${/[.!?…]$/.test(fix) ? fix : `${fix}.`}`);
    body.push("Could you try this and let us know whether it solves the problem?");
    if (r.question) body.push(`If it does not, ${r.question.charAt(0).toLowerCase()}${r.question.slice(1)}`);
  } else if (r.question) {
    body.push(`To help us resolve it quickly: ${r.question}`);
  } else {
    body.push("We will get back to you as soon as we have an update.");
  }
  const sign = r.agentName ? `Best regards,\n${r.agentName}\nService desk` : "Best regards,\nThe service desk";
  return [hello, "", ack, "", body.join(" "), "", sign].join("\n");
}
