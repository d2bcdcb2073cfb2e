/**
 * npm run eval:priority [-- --file data/eval/priority.csv] [--misses]
 *
 * The priority rules (lib/triage/priority.ts, ITIL impact × urgency) on a labelled fixture of raw
 * tickets: exact-match and within-one-level accuracy, impact and urgency accuracy, and the P1–P4
 * confusion matrix. --misses lists the tickets whose priority is wrong, with the cues the rules read.
 * Writes nothing. The LAST stdout line is one JSON object:
 * {"n","exact","withinOne","impactAccuracy","urgencyAccuracy"} (shares 0–1).
 */
import { parseArgs } from "node:util";
import { evaluatePriority, formatConfusion, readPriorityFixture } from "../lib/triage/priority-eval";

const { values } = parseArgs({
  options: { file: { type: "string", default: "data/eval/priority.csv" }, misses: { type: "boolean", default: false } },
});

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const r4 = (x: number) => Math.round(x * 10000) / 10000;
const cases = readPriorityFixture(values.file!);
const r = evaluatePriority(cases);
console.log(`${r.n} tickets from ${values.file}`);
console.log(`priority exact ${pct(r.exact)}   within one level ${pct(r.withinOne)}`);
console.log(`impact ${pct(r.impactAccuracy)}   urgency ${pct(r.urgencyAccuracy)}`);
for (const line of formatConfusion(r.confusion)) console.log(line);
if (values.misses) {
  for (const m of r.misses) {
    const p = m.predicted;
    console.log(
      `miss: ${m.title} | expected ${m.priority} (${m.impact}/${m.urgency}) | got ${p.priority} (${p.impact}/${p.urgency}) | cues impact [${p.cues.impact.join(", ")}] urgency [${p.cues.urgency.join(", ")}]`,
    );
  }
}
console.log(JSON.stringify({ n: r.n, exact: r4(r.exact), withinOne: r4(r.withinOne), impactAccuracy: r4(r.impactAccuracy), urgencyAccuracy: r4(r.urgencyAccuracy) }));
