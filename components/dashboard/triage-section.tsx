"use client";

import Link from "next/link";
import { Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { REVIEW_QUEUE_HREF } from "@/components/tickets/review-queue";
import type { TriageStats } from "@/lib/triage/stats";
import { ChartCard, dayLabel, GRID, nf, StatCard, TICK } from "./parts";
import { DashboardSection } from "./section";


/* Series colours: each at least 3:1 against white, and told apart by hue for colour-blind readers (blue/orange, teal/violet). */
const LOCAL = "#1d4ed8";
const LLM = "#c2410c";
const PROMPT = "#0f766e";
const COMPLETION = "#7c3aed";
const COST = "#b45309";

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 4, maximumFractionDigits: 4 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
/** Axis ticks: enough decimals that small daily costs do not round to the same label. */
const usdTick = (v: number) => (v === 0 ? "$0" : `$${v.toFixed(v >= 1 ? 2 : v >= 0.01 ? 3 : 4)}`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const plural = (n: number, one: string, many = `${one}s`) => `${nf.format(n)} ${n === 1 ? one : many}`;

/**
 * The dashboard's "Triage" section: accuracy over the last N agent-reviewed tickets, the review
 * queue, the LLM share and cost, and per-day decisions, tokens and cost for the selected range.
 */
export function TriageSection({
  data,
  error,
  onRetry,
  days,
  window,
}: {
  data: TriageStats | undefined;
  error: string | null;
  onRetry: () => void;
  days: number;
  window: number;
}) {
  return (
    <DashboardSection
      id="triage-h"
      title="Triage"
      testId="triage-section"
      what="triage"
      loaded={data !== undefined}
      error={error}
      onRetry={onRetry}
      intro={
        <>
          Automatic triage decisions {data ? `${data.range.from} to ${data.range.to} (UTC)` : `in the last ${days} days`}. Accuracy
          and the review queue are current, whatever the range.
        </>
      }
    >
      {data ? <TriageBody data={data} window={window} /> : null}
    </DashboardSection>
  );
}

function TriageBody({ data, window }: { data: TriageStats; window: number }) {
  const { totals, accuracy } = data;
  const tokens = totals.promptTokens + totals.completionTokens;
  const noLlm = totals.llm === 0 && tokens === 0 && totals.costUsd === 0;

  const decisionRows = data.perDay.map((d) => ({ key: d.day, name: dayLabel(d.day), local: d.decisions - d.llm, llm: d.llm, fallbacks: d.fallbacks }));
  const tokenRows = data.perDay.map((d) => ({ key: d.day, name: dayLabel(d.day), prompt: d.promptTokens, completion: d.completionTokens }));
  const costRows = data.perDay.map((d) => ({ key: d.day, name: dayLabel(d.day), cost: d.costUsd }));

  const busiest = decisionRows.reduce((a, b) => (b.local + b.llm > a.local + a.llm ? b : a), decisionRows[0]);
  const decisionsSummary =
    `Triage decisions per day over ${plural(decisionRows.length, "day")}: ${nf.format(totals.decisions)} in total, ` +
    `${nf.format(totals.decisions - totals.llm)} by the local model and ${nf.format(totals.llm)} by an LLM ` +
    `(${plural(totals.fallbacks, "fallback")} to the local model)` +
    (busiest && totals.decisions > 0 ? `; busiest day ${busiest.name} with ${nf.format(busiest.local + busiest.llm)}.` : ".");
  const tokensSummary = `LLM tokens per day: ${nf.format(tokens)} in total, ${nf.format(totals.promptTokens)} prompt and ${nf.format(totals.completionTokens)} completion.`;
  const costSummary = `Estimated LLM cost per day: ${usd.format(totals.costUsd)} in total over ${plural(costRows.length, "day")}.`;
  const noLlmText = "No LLM calls in this range: the local model made every triage decision.";

  return (
    <>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <StatCard
          label="Triage accuracy"
          value={accuracy.accuracy === null ? "–" : pct(accuracy.accuracy)}
          testId="triage-accuracy"
          note={
            accuracy.reviewed === 0 ? (
              "No tickets reviewed by an agent yet"
            ) : (
              <>
                <span className="tabular-nums" data-testid="triage-accuracy-detail">
                  {nf.format(accuracy.correct)}/{nf.format(accuracy.reviewed)}
                </span>{" "}
                correct in the last {accuracy.reviewed < window ? nf.format(accuracy.reviewed) : nf.format(window)} agent-reviewed ·{" "}
                {nf.format(accuracy.overriddenByAgent)} corrected by agents
              </>
            )
          }
        />
        <StatCard label="Review queue" value={nf.format(data.reviewQueue)} testId="review-queue" note="tickets waiting for an agent to confirm their triage">
          <Link href={REVIEW_QUEUE_HREF} className="mt-1 inline-block text-xs font-medium text-brand-700 underline underline-offset-2 hover:text-brand-900">
            Open the review queue
          </Link>
        </StatCard>
        <StatCard
          label="LLM share"
          value={pct(totals.llmShare)}
          testId="triage-llm-share"
          note={`${nf.format(totals.llm)} of ${plural(totals.decisions, "decision")} · ${plural(totals.fallbacks, "fallback")}`}
        />
        <StatCard
          label="LLM cost"
          value={usd.format(totals.costUsd)}
          testId="triage-llm-cost"
          note={`${plural(tokens, "token")} (${nf.format(totals.promptTokens)} prompt, ${nf.format(totals.completionTokens)} completion)`}
        />
      </div>

      <ChartCard
        level={3}
        title="Triage decisions per day"
        subtitle="local model and LLM, stacked"
        summary={decisionsSummary}
        empty={totals.decisions === 0 ? "No triage decisions in this range." : undefined}
        legend={[
          { name: "Local model", color: LOCAL, value: totals.decisions - totals.llm },
          { name: "LLM", color: LLM, value: totals.llm },
        ]}
        table={{
          nameLabel: "Day",
          columns: ["Local model", "LLM", "Fallbacks", "Total"],
          rows: decisionRows.map((r) => ({ key: r.key, name: r.name, cells: [nf.format(r.local), nf.format(r.llm), nf.format(r.fallbacks), nf.format(r.local + r.llm)] })),
        }}
      >
        <BarChart responsive data={decisionRows} style={{ width: "100%", height: 220 }} accessibilityLayer={false} margin={{ top: 8, right: 8, left: -12, bottom: 0 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="name" tick={TICK} tickLine={false} minTickGap={24} />
          <YAxis allowDecimals={false} tick={TICK} tickLine={false} axisLine={false} />
          <Tooltip cursor={{ fill: "#f1f5f9" }} />
          <Bar dataKey="local" name="Local model" stackId="decisions" fill={LOCAL} isAnimationActive={false} />
          <Bar dataKey="llm" name="LLM" stackId="decisions" fill={LLM} isAnimationActive={false} radius={[3, 3, 0, 0]} />
        </BarChart>
      </ChartCard>

      <div className="grid gap-4 lg:grid-cols-2">
        <ChartCard
          level={3}
          title="LLM tokens per day"
          subtitle="prompt and completion, stacked"
          summary={tokensSummary}
          empty={noLlm ? noLlmText : undefined}
          legend={[
            { name: "Prompt", color: PROMPT, value: totals.promptTokens },
            { name: "Completion", color: COMPLETION, value: totals.completionTokens },
          ]}
          table={{
            nameLabel: "Day",
            columns: ["Prompt", "Completion", "Total"],
            rows: tokenRows.map((r) => ({ key: r.key, name: r.name, cells: [nf.format(r.prompt), nf.format(r.completion), nf.format(r.prompt + r.completion)] })),
          }}
        >
          <BarChart responsive data={tokenRows} style={{ width: "100%", height: 200 }} accessibilityLayer={false} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis dataKey="name" tick={TICK} tickLine={false} minTickGap={24} />
            <YAxis allowDecimals={false} tick={TICK} tickLine={false} axisLine={false} tickFormatter={(v: number) => compact.format(v)} />
            <Tooltip cursor={{ fill: "#f1f5f9" }} formatter={(v) => nf.format(Number(v))} />
            <Bar dataKey="prompt" name="Prompt" stackId="tokens" fill={PROMPT} isAnimationActive={false} />
            <Bar dataKey="completion" name="Completion" stackId="tokens" fill={COMPLETION} isAnimationActive={false} radius={[3, 3, 0, 0]} />
          </BarChart>
        </ChartCard>

        <ChartCard
          level={3}
          title="LLM cost per day"
          subtitle={`estimated, USD · ${usd.format(totals.costUsd)} in range`}
          summary={costSummary}
          empty={noLlm ? noLlmText : undefined}
          table={{
            nameLabel: "Day",
            columns: ["Cost (USD)"],
            rows: costRows.map((r) => ({ key: r.key, name: r.name, cells: [usd.format(r.cost)] })),
          }}
        >
          <LineChart responsive data={costRows} style={{ width: "100%", height: 200 }} accessibilityLayer={false} margin={{ top: 8, right: 12, left: 4, bottom: 0 }}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis dataKey="name" tick={TICK} tickLine={false} minTickGap={24} />
            <YAxis tick={TICK} tickLine={false} axisLine={false} width={64} tickFormatter={usdTick} />
            <Tooltip formatter={(v) => usd.format(Number(v))} />
            <Line type="linear" dataKey="cost" name="Cost" stroke={COST} strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        </ChartCard>
      </div>
    </>
  );
}
