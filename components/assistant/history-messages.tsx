import type { ChatMessageDTO } from "@/lib/assistant/history-schemas";
import { RelativeTime } from "@/components/ui/time";
import { ResultView } from "./result-view";

/** "grammar", "openai · gpt-4o-mini": how an answer was produced. */
export function provenanceLabel(m: Pick<ChatMessageDTO, "provider" | "model">): string {
  if (!m.provider) return "–";
  return m.model ? `${m.provider} · ${m.model}` : m.provider;
}

/** "$0.000420" (six decimals: LLM costs are fractions of a cent); "–" for free answers. */
export function formatCost(usd: number): string {
  return usd > 0 ? `$${usd.toFixed(6)}` : "–";
}

/**
 * A stored conversation, oldest first: what was asked, and each answer rendered like the
 * command bar rendered it (read-only), with how it was produced.
 */
export function HistoryMessages({ messages, now }: { messages: ChatMessageDTO[]; now: number }) {
  if (messages.length === 0) return <p className="text-sm text-slate-600">No messages.</p>;
  return (
    <ol className="space-y-4" data-testid="assistant-messages">
      {messages.map((m) =>
        m.role === "user" ? (
          <li key={m.id} className="flex flex-wrap items-baseline gap-2">
            <span className="sr-only">Asked: </span>
            <span className="rounded-md bg-slate-100 px-2 py-0.5 text-sm font-medium text-slate-900">{m.content}</span>
            <RelativeTime iso={m.createdAt} now={now} className="text-xs text-slate-600" />
          </li>
        ) : (
          <li key={m.id} className="space-y-1 border-l-2 border-brand-100 pl-3">
            <ResultView response={{ op: m.op ?? "clarify", ok: m.ok !== false, message: m.content, data: m.data }} />
            <p className="text-xs text-slate-600">
              {provenanceLabel(m)}
              {m.promptTokens + m.completionTokens > 0 ? ` · ${m.promptTokens + m.completionTokens} tokens` : ""}
              {m.costUsd > 0 ? ` · ${formatCost(m.costUsd)}` : ""} · {m.latencyMs} ms
              {m.fallbackReason ? ` · fallback: ${m.fallbackReason}` : ""}
            </p>
          </li>
        ),
      )}
    </ol>
  );
}
