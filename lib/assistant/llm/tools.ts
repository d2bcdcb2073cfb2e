import { z } from "zod";
import { AssistantOpSchema, type AssistantOpName } from "@/lib/assistant/ops";
import type { ToolDefinition } from "@/lib/llm/client";

/*
 * The assistant's tools for LLM tool calling: one per operation, their parameters generated
 * from the zod schemas of lib/assistant/ops.ts (so the grammar, the LLM and the executor share
 * one definition), plus `clarify` for ambiguous requests. Whatever the model calls is parsed
 * again with AssistantOpSchema before anything runs (lib/assistant/llm/interpret-llm.ts).
 */

/** Name of the tool the model calls when it cannot pick one operation safely. */
export const CLARIFY_TOOL = "clarify";

/** What each operation does and when to pick it (the model chooses tools by these). */
const DESCRIPTIONS: Record<AssistantOpName, string> = {
  create: "Create ONE new ticket. Use for 'create/open/raise/log a ticket for …'. title is a short summary; description only when the user gave more detail.",
  update:
    "Change ONE existing ticket named by its key: status, waiting reason, priority, category or team, optionally with an internal note (the text after the change, e.g. 'update T-12 to in progress, checking the load balancer'). Not for assigning (use assign), closing/resolving (use resolve) or comments (use comment).",
  assign: "Assign ONE ticket to a person: assignee 'me' for 'take T-12', 'none' for 'unassign T-12', else the person's name or e-mail exactly as the user wrote it.",
  comment: "Add a comment to ONE ticket: internal=false for a reply the requester sees ('reply to T-12: …'), internal=true for an internal note ('note on T-12: …').",
  resolve: "Resolve or close ONE ticket, with the resolution text when the user gave one ('close T-7, replaced the switch').",
  show: "Show ONE ticket by its key ('show T-12', 'what is T-12 about').",
  list: "List tickets matching a filter (read only): 'open P1s', 'my tickets waiting on the requester', 'tickets opened this week'. Use list when the user wants to SEE tickets; use stats when they ask HOW MANY.",
  stats:
    "Count tickets (metric 'tickets', with a filter; created-date range in filter.createdFrom/createdTo) or SLA breaches (metric 'breaches', range in from/to). Use for 'how many …?', 'number of …', 'breaches today'.",
  bulk: "Change MORE THAN ONE ticket at once: every ticket matching the filter gets the action ('close all my waiting tickets', 'set all open printer tickets to P2'). Any change to more than one ticket must be bulk, never several single-ticket calls. The user confirms before it runs.",
  create_category: "Admins only: create a new category for a team ('create category Printers for team end-user-computing'). Not for creating tickets.",
  help: "Explain what the assistant can do. Use for 'help', 'what can you do?'.",
};

/** Hints for fields whose meaning the schema alone does not carry (added where the schema has no description). */
const FIELD_HINTS: Record<string, string> = {
  assignee: "'me' (the caller), 'none' (unassigned), or a person's name or e-mail as the user wrote it",
  requester: "The requester's e-mail address; in a filter, 'me' means the caller's own tickets",
  category: "Category slug from the list in the instructions",
  team: "Team slug from the list in the instructions",
  createdFrom: "Created at or after this instant (ISO 8601 with offset), inclusive",
  createdTo: "Created before this instant (ISO 8601 with offset), exclusive",
  from: "Start of the range (ISO 8601 with offset), inclusive",
  to: "End of the range (ISO 8601 with offset), exclusive",
  q: "Words to search for in title and description",
  needsReview: "Only tickets whose triage awaits review",
  sla: "SLA states to match",
  note: "Internal note (in a bulk action: the resolution when the status becomes resolved or closed)",
};

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[]; description?: string };

/**
 * Add FIELD_HINTS to properties (recursively) that have no description, and drop the long
 * regular expression zod writes next to `format: "date-time"` (the format says it; the
 * pattern costs ~150 tokens each time). The op schema still checks the value.
 */
function addHints(schema: JsonSchema): JsonSchema {
  if (!schema.properties) return schema;
  const properties = Object.fromEntries(
    Object.entries(schema.properties).map(([name, p]) => {
      const { pattern, ...rest } = addHints(p);
      const inner = rest.format === "date-time" ? rest : { ...rest, ...(pattern === undefined ? {} : { pattern }) };
      return [name, inner.description || !FIELD_HINTS[name] ? inner : { ...inner, description: FIELD_HINTS[name] }];
    }),
  );
  return { ...schema, properties };
}

/** Parameters of one operation's tool: its JSON Schema (input side) without `$schema` and the `op` discriminator. */
function parametersOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...js } = z.toJSONSchema(schema, { io: "input" }) as JsonSchema;
  const { op: _op, ...properties } = js.properties ?? {};
  const required = (js.required ?? []).filter((r) => r !== "op");
  return addHints({ ...js, properties, required });
}

/** The clarify tool's arguments, as the model must send them. */
export const ClarifyArgsSchema = z.strictObject({
  message: z.string().trim().min(1).max(500).describe("A short question for the user: what is ambiguous and what they should say"),
  candidates: z
    .array(
      z.strictObject({
        label: z.string().trim().min(1).max(200).describe("What this choice means, e.g. 'Maria Keller (maria.k@example.com)'"),
        command: z.string().trim().min(1).max(500).describe("The full command that picks this choice, e.g. 'assign T-12 to maria.k@example.com'"),
      }),
    )
    .max(10)
    .optional(),
});

/**
 * The tools offered to the model: one per operation of {@link AssistantOpSchema} (tool name =
 * op name), then `clarify`. Built once; the result is shared, do not mutate it.
 */
export const ASSISTANT_TOOLS: readonly ToolDefinition[] = [
  ...AssistantOpSchema.options.map((schema) => ({
    name: schema.shape.op.value,
    description: DESCRIPTIONS[schema.shape.op.value],
    parameters: parametersOf(schema),
  })),
  {
    name: CLARIFY_TOOL,
    description:
      "Ask the user instead of acting when the request is ambiguous or unsafe to guess: no ticket key was given where one is needed, a person or category could mean several, or it is unclear what to change. Offer candidates when there are a few likely choices.",
    parameters: parametersOf(ClarifyArgsSchema),
  },
];
