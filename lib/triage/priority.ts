import type { Priority } from "@/db/schema";

/**
 * Priority from impact × urgency, the ITIL priority matrix (ITIL 4 Incident Management
 * practice; the same matrix as ITIL v3 Service Operation §4.2.5.4):
 *
 * | impact \ urgency | high | medium | low |
 * |------------------|------|--------|-----|
 * | high             | P1   | P2     | P3  |
 * | medium           | P2   | P3     | P4  |
 * | low              | P3   | P4     | P4  |
 *
 * ITIL's five levels are folded into our four (its 4 "low" and 5 "planning" are both P4).
 * Impact is how many are affected (ITIL: "the effect on business processes"): low = the
 * requester, medium = a team, department, floor or shared room, high = the company, several
 * sites or departments, customers, or a security incident. Urgency is how soon the business
 * needs it (ITIL: "how long until the impact becomes significant"): high = work stopped or a
 * deadline within the day, medium = degraded, intermittent, a workaround, an ongoing problem
 * or a need within days, low = a request or a question with no time pressure.
 *
 * The cues are read the way people write them (issue #13 §3): the title and body, with quoted
 * mail (`>` lines, "-----Original Message-----" and what follows, a forwarded subject line)
 * removed; sentences that report a fix ("works again", "is resolved") cancel the incident cues;
 * a negation ("not urgent", "not blocking me") scopes only the cue it precedes.
 */
export interface PriorityAssessment {
  priority: Priority;
  impact: Level;
  urgency: Level;
  /** The phrases (as matched in the text) that decided impact and urgency, for explanations and audit. */
  cues: { impact: string[]; urgency: string[] };
}

export type Level = "high" | "medium" | "low";

const MATRIX: Record<Level, Record<Level, Priority>> = {
  high: { high: "P1", medium: "P2", low: "P3" },
  medium: { high: "P2", medium: "P3", low: "P4" },
  low: { high: "P3", medium: "P4", low: "P4" },
};

const re = (source: string) => new RegExp(source, "g");
const NUM = String.raw`(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|several|multiple|many|most|half|a few)`;
const DEPT = String.raw`(?:finance|accounting|accounts|hr|human resources|sales|marketing|purchasing|procurement|legal|logistics|support|design|engineering|development|production|controlling|payroll|customer service)`;

/** The company, several sites or departments, or customers. */
const IMPACT_COMPANY = [
  String.raw`(?:whole|entire|all over the|across the) (?:company|organi[sz]ation|business|building|office)`,
  String.raw`(?:in|for|across) the (?:company|organi[sz]ation|business)`,
  String.raw`(?:company|organi[sz]ation|business)[ -]?wide`,
  String.raw`all (?:users|employees|staff|colleagues|sites|offices|locations|branches|departments|warehouses|plants|stores|countries)`,
  String.raw`across (?:all|every|the) `,
  String.raw`${NUM} (?:offices|sites|locations|branches|warehouses|plants|stores|countries|departments)`,
  String.raw`(?:none|all|each|every one) of the (?:\w+ )?(?:offices|sites|locations|branches|warehouses|plants|stores)`,
  String.raw`\w+,? and \w+ (?:offices|sites|locations|branches|warehouses|plants)`,
  String.raw`(?:customers|clients) (?:can ?not|can'?t|are unable|are not able|are getting|get|see|are affected|are complaining)`,
  String.raw`customer[ -]facing`,
  String.raw`(?:web ?site|web ?shop|online shop|site) (?:is )?down`,
  String.raw`production`,
  String.raw`call cent(?:re|er)`,
];
/** A security incident: company impact and high urgency whatever else is said. */
const SECURITY = [String.raw`ransom\w*`, String.raw`bitcoin`, String.raw`\.locked`, String.raw`(?:files|drive) (?:are |got |were )?encrypted`, String.raw`(?:data|security) breach`, String.raw`hacked`, String.raw`virus (?:is )?spreading`];
/** Everyone/nobody without a narrower group: the company unless a team, floor or place scopes it. */
const IMPACT_EVERYONE = [String.raw`everyone`, String.raw`everybody`, String.raw`anyone`, String.raw`anybody`, String.raw`nobody`, String.raw`no ?one`];
/** A scoping phrase after everyone/nobody ("everyone up here", "nobody on the floor"). */
const EVERYONE_SCOPED = re(String.raw`\b(?:everyone|everybody|anyone|nobody|no ?one) (?:in|on|at|from|up|here|of)\b(?! the (?:company|organi[sz]ation|business))`);
/** A team, department, floor, shift, several people, or a shared room or resource. */
const IMPACT_GROUP = [
  String.raw`(?:my|our|the|whole|entire|all the|all of the) (?:\w+ ){0,2}(?:team|department|dept|shift|floor|unit|branch)`,
  String.raw`${DEPT} (?:team|department|dept)`,
  String.raw`(?:floor|level) \d+`,
  String.raw`${NUM} (?:of us|of the team|of our team)`,
  String.raw`${NUM} (?:\w+ )?(?:people|persons|users|colleagues|co-?workers|employees|agents|staff|members|interns|new starters|new hires|students|designers|developers|pcs|laptops|computers|workstations|desks)`,
  String.raw`(?:all|none|both|each) of us`,
  String.raw`we all`,
  String.raw`(?:several|multiple|many|other|some) (?:colleagues|users|people|of my colleagues)`,
  String.raw`colleagues`,
  String.raw`shared (?:drive|mailbox|desk|printer|calendar|folder|account|inbox|channel)`,
  String.raw`(?:our|the) (?:office|project)\b(?! wifi)`,
];
/** Shared places: a group is affected unless the requester's own device is the subject. */
const IMPACT_PLACE = [String.raw`meeting rooms?`, String.raw`conference rooms?`, String.raw`board ?room`, String.raw`training room`, String.raw`canteen`, String.raw`room panels?`, String.raw`copier`];
const OWN_DEVICE = re(String.raw`\bmy (?:laptop|pc|computer|notebook|phone|tablet|mac)\b`);
/** Only the requester is affected: wins over group and company cues. */
const IMPACT_SINGLE = [
  String.raw`only (?:me|i|my|for me|on my|mine)`,
  String.raw`just (?:me|my)`,
  String.raw`(?:colleagues|others|other people|other users|everyone else|everybody else|the rest of (?:the|my) team|my team|other customers|my colleague)(?: \w+)? (?:are|is|can|seem|seems|have|work|works)(?: \w+){0,3}? (?:fine|ok|okay|working|connected|without problems|no problems|normally)`,
  String.raw`(?:no ?one|nobody) else`,
];

/** The requester says there is no time pressure. */
const URGENCY_NONE = [
  String.raw`no (?:rush|hurry)`,
  String.raw`(?:not|isn'?t|is not|it'?s not|no|never)(?: \w+)? (?:urgent|critical|time[ -]critical|an emergency|a priority|pressing)`,
  String.raw`whenever`,
  String.raw`when(?:ever)? (?:you|someone|somebody) (?:has|have|get|gets) (?:a |the )?(?:time|chance|moment|minute)`,
  String.raw`when (?:possible|convenient|it suits)`,
  String.raw`at your convenience`,
  String.raw`some ?time\b(?! ago)`,
  String.raw`low priority`,
  String.raw`next (?:week|month|quarter|year)`,
  String.raw`(?:for|in) (?:the )?(?:next )?planning`,
  String.raw`just (?:flagging|curious|a question|to let you know|fyi)`,
  String.raw`\bfyi\b`,
  String.raw`for (?:your )?info(?:rmation)?`,
  String.raw`you can close`,
];
/** The requester says it is urgent (negatable: "not urgent" does not count). */
const URGENCY_WORDS = [
  String.raw`urgent(?:ly)?`, String.raw`asap`, String.raw`a\.s\.a\.p`, String.raw`as soon as possible`, String.raw`immediately`,
  String.raw`right (?:away|now)`, String.raw`emergency`, String.raw`critical`, String.raw`escalate`, String.raw`hurry`,
  String.raw`prioriti[sz]e`, String.raw`(?:very )?high priority`, String.raw`p1`, String.raw`sev ?1`, String.raw`severity 1`,
];
/** A deadline within the day: a clock time, "in an hour", "tonight", or today with a need or due date. */
const URGENCY_DEADLINE = [
  String.raw`(?:at|by|before|until|till|deadline is|due) (?:\d{1,2}(?::\d{2})? ?(?:am|pm|h|o'?clock)?|noon|midday|eod|cob|end of (?:the )?day|lunch)\b`,
  String.raw`\d{1,2}(?::\d{2})? ?(?:am|pm) today`,
  String.raw`within the hour`,
  String.raw`in (?:an?|one|half an|\d+|a few|a couple of) ?(?:hours?|hrs?|min(?:ute)?s?)\b`,
  String.raw`tonight`,
  String.raw`this (?:afternoon|evening)`,
  String.raw`(?:deadline|due|have to|has to|must|need(?:s|ed)? (?:to|it|them|my|the|this)|appointment|meeting|call) (?:\w+ ){0,8}?today`,
  String.raw`today'?s? (?:deadline|is the deadline)`,
  String.raw`deadline (?:is )?today`,
  String.raw`(?:are|is) waiting`,
];
/** Work is stopped (downgraded to medium by a workaround or intermittence). */
const URGENCY_BLOCKED = [
  String.raw`(?:can ?not|can'?t|cant|unable to|could ?n'?t|not able to|none of \w+(?: \w+){0,3} can|nobody(?: \w+){0,3} can|no ?one(?: \w+){0,3} can) (?:\w+ )?(?:work|log ?in|login|log on|log into|sign ?in|logon|access|connect|reach|open|save|send|receive|use|do anything|type|take|make|place|book|ship|scan|push|start|boot|load|call|get (?:in|into|to|on))`,
  String.raw`(?:won'?t|wont|will not|doesn'?t|does not|don'?t|do not|didn'?t|did not) (?:\w+ )?(?:power on|turn on|start|boot|switch on|open|connect|load)`,
  String.raw`locked out`, String.raw`(?:is|got|was|been|user|account) (?:\w+ )?(?:locked|disabled|blocked)`, String.raw`stolen`,
  String.raw`stopped working`, String.raw`not working`, String.raw`doesn'?t work`, String.raw`does not work`, String.raw`nothing (?:loads|works)`,
  String.raw`(?:is|are|went|goes) down`, String.raw`outage`, String.raw`dead`, String.raw`broken`, String.raw`crash(?:ed|es|ing)?`,
  String.raw`blue ?screen\w*`, String.raw`bsod`, String.raw`black screen`, String.raw`no picture`,
  String.raw`no (?:internet|network|connection|power|signal|dial tone)`, String.raw`(?:i'?m|we'?re|are|all) stuck`,
  String.raw`(?:is|are) blocked`, String.raw`blocker`, String.raw`blocking`, String.raw`nothing to work with`,
  String.raw`so (?:i|we) can (?:log|sign|work|get)`, String.raw`read-only`, String.raw`freez(?:es|ing)`,
];
/** Intermittent or worked around: the work goes on. */
const URGENCY_WORKAROUND = [
  String.raw`sometimes`, String.raw`now and then`, String.raw`from time to time`, String.raw`occasionally`, String.raw`intermittent(?:ly)?`,
  String.raw`random(?:ly)?`, String.raw`every (?:other|few|hour|\d+ \w+|so often|now)`, String.raw`once in a while`, String.raw`several times a day`,
  String.raw`work ?around`, String.raw`in the meantime`, String.raw`meanwhile`, String.raw`for now`, String.raw`for the moment`,
  String.raw`(?:can|could) still`, String.raw`still (?:work|works|working|usable|able)`, String.raw`eventually work`,
  String.raw`(?:everything else|the rest|other (?:settings|features|functions|options|apps|programs|pages|buttons|files)) (?:works?|is fine|are fine|is ok)`, String.raw`(?:and|but) it works`,
  String.raw`by hand`, String.raw`manually`, String.raw`lets me in`, String.raw`mostly`,
];
/** Degraded, ongoing, or needed within days. */
const URGENCY_MEDIUM = [
  String.raw`slow(?:ly|ness)?`, String.raw`sluggish`, String.raw`takes? (?:ages|forever|long)`, String.raw`lag\w*`, String.raw`choppy`,
  String.raw`flicker\w*`, String.raw`crackl\w*`, String.raw`drops?`, String.raw`disconnects?`, String.raw`errors?`, String.raw`warnings?`,
  String.raw`issues?`, String.raw`problems?`, String.raw`greyed out`, String.raw`access denied`,
  String.raw`since (?:\d{1,2}(?::\d{2})? ?(?:am|pm)?|this morning|yesterday|last \w+|monday|tuesday|wednesday|thursday|friday|the update|lunch|about \d+|around \d+)`,
  String.raw`for (?:\d+|two|three|a few|several|a couple of) (?:days|hours|weeks)`, String.raw`all (?:day|morning)`,
  String.raw`tomorrow`, String.raw`this week`, String.raw`soon`,
];
/** Requests and questions (low when nothing else speaks for urgency). */
const URGENCY_REQUEST = [
  String.raw`please (?:install|order|buy|add|create|give|change|grant|provide|set up|remove|update|enable|purchase)`,
  String.raw`(?:could|can) (?:you|someone|somebody)`, String.raw`could (?:i|we)`, String.raw`can (?:i|we) (?:get|have)`, String.raw`(?:would|i'?d|we'?d) like`,
  String.raw`request(?:ing)?`, String.raw`how (?:do|can) (?:i|we)`, String.raw`how to`, String.raw`is there`, String.raw`question`,
  String.raw`should i`, String.raw`order`, String.raw`purchase`, String.raw`quote`, String.raw`licen[cs]es?`,
];
/** A sentence that says the problem is over. */
const RESOLVED = re(
  String.raw`\b(?:works?|working|is up|back up|back online|running) again\b|\b(?:is|are|was|were|has been|have been|got) (?:now )?(?:fixed|solved|resolved|restored)\b|\(resolved\)|\byou can close\b|\bno longer (?:an issue|needed)\b`,
);
const NEGATOR = /(?:\bnot|\bno|n't|\bnever|\bwithout)\s+(?:\w+\s+)?$/;

interface Rule { source: string; re: RegExp; negatable: boolean }
const compile = (sources: string[], negatable = false): Rule[] =>
  sources.map((source) => ({ source, re: re(String.raw`(?<![a-z0-9])(?:${source})(?![a-z0-9])`), negatable }));

const RULES = {
  company: compile(IMPACT_COMPANY),
  security: compile(SECURITY),
  everyone: compile(IMPACT_EVERYONE),
  group: compile(IMPACT_GROUP),
  place: compile(IMPACT_PLACE),
  single: compile(IMPACT_SINGLE),
  none: compile(URGENCY_NONE),
  words: compile(URGENCY_WORDS, true),
  deadline: compile(URGENCY_DEADLINE),
  blocked: compile(URGENCY_BLOCKED, true),
  workaround: compile(URGENCY_WORKAROUND),
  medium: compile(URGENCY_MEDIUM),
  request: compile(URGENCY_REQUEST),
};

/** The matched phrases of `rules` in `text`; a negatable rule skips a match right after a negator. */
function find(text: string, rules: Rule[]): string[] {
  const out: string[] = [];
  for (const r of rules) {
    r.re.lastIndex = 0;
    for (let m = r.re.exec(text); m; m = r.re.exec(text)) {
      if (r.negatable) {
        const before = text.slice(Math.max(0, m.index - 24), m.index);
        const clause = before.slice(Math.max(before.lastIndexOf(","), before.lastIndexOf("."), before.lastIndexOf("\n"), before.lastIndexOf(":")) + 1);
        if (NEGATOR.test(clause)) continue;
      }
      out.push(m[0]);
      break;
    }
  }
  return out;
}

/** The text people wrote themselves: no quoted or forwarded mail, no forwarded subject line. */
function ownText(title: string | undefined, description: string): string {
  const t = (title ?? "").trim();
  const body = description
    .split(/\r?\n/)
    .filter((l) => !/^\s*>/.test(l))
    .join("\n")
    .split(/^\s*(?:-{2,}\s*(?:original message|forwarded message)|begin forwarded message|from:\s|on .{3,80} wrote:)/im)[0];
  const head = /^\s*(?:fw|fwd|wg|tr)\s*:/i.test(t) ? "" : t;
  return `${head}\n${body}`
    .toLowerCase()
    .replace(/[’`´]/g, "'")
    .replace(/sent from my \w+/g, "");
}

/**
 * Assess priority from a ticket's title and description (raw or normalised text) by the ITIL
 * impact × urgency matrix above. Pure and fast (a few dozen regular expressions over the text,
 * microseconds per ticket).
 *
 * Impact: a statement that only the requester is affected wins; then company cues (or a security
 * incident), then "everyone"/"nobody" unless a team, floor or place scopes it, then group cues.
 * Urgency: a deadline within the day is high; else the requester's "no rush"/"not urgent" is low
 * (it beats a bare "urgent" elsewhere, e.g. in the subject); else "urgent"/"asap" is high; else
 * stopped work is high unless worked around or intermittent; else degraded, ongoing ("since 9am",
 * "for 2 days") or soon is medium; a request or question with none of these is low; otherwise
 * medium. A sentence reporting that the problem is fixed cancels the incident cues (stopped work
 * and impact) of the whole ticket, and urgency is then low unless something else is asked for soon.
 * @returns priority P1–P4, impact and urgency levels, and the matched phrases that decided them.
 */
export function assessPriority(title: string | undefined, description: string): PriorityAssessment {
  const own = ownText(title, description);
  const sentences = own.split(/(?<=[.!?])\s+|\n+/);
  const resolved = sentences.filter((s) => { RESOLVED.lastIndex = 0; return RESOLVED.test(s); });
  const text = ` ${sentences.filter((s) => !resolved.includes(s)).join(" \n ")} `;

  let impact: Level = "low";
  let impactCues: string[] = [];
  const security = find(text, RULES.security);
  const single = find(text, RULES.single);
  if (resolved.length) {
    impactCues = [];
  } else if (security.length) {
    impact = "high";
    impactCues = security;
  } else if (single.length) {
    impactCues = single;
  } else {
    const company = find(text, RULES.company);
    const group = find(text, RULES.group);
    OWN_DEVICE.lastIndex = 0;
    const place = OWN_DEVICE.test(text) ? [] : find(text, RULES.place);
    const everyone = find(text, RULES.everyone);
    EVERYONE_SCOPED.lastIndex = 0;
    const scoped = group.length > 0 || place.length > 0 || EVERYONE_SCOPED.test(text);
    if (company.length || (everyone.length && !scoped)) {
      impact = "high";
      impactCues = [...company, ...(scoped ? [] : everyone)];
    } else if (group.length || place.length || everyone.length) {
      impact = "medium";
      impactCues = [...group, ...place, ...everyone];
    }
  }

  const deadline = find(text, RULES.deadline);
  const none = find(text, RULES.none);
  const words = find(text, RULES.words);
  const blocked = resolved.length ? [] : find(text, RULES.blocked);
  const workaround = find(text, RULES.workaround);
  const medium = find(text, RULES.medium);
  let urgency: Level;
  let urgencyCues: string[];
  if (deadline.length || security.length) {
    urgency = "high";
    urgencyCues = [...security, ...deadline, ...words, ...blocked];
  } else if (none.length) {
    urgency = "low";
    urgencyCues = none;
  } else if (words.length || (blocked.length && !workaround.length)) {
    urgency = "high";
    urgencyCues = [...words, ...blocked];
  } else if (blocked.length || workaround.length || medium.length) {
    urgency = "medium";
    urgencyCues = [...blocked, ...workaround, ...medium];
  } else {
    const request = find(text, RULES.request);
    // nothing but a request, or a report that the problem is over: no time pressure
    urgency = request.length || resolved.length ? "low" : "medium";
    urgencyCues = request;
  }
  if (resolved.length) urgencyCues = [...urgencyCues, ...resolved.map((s) => s.trim())];
  return { priority: MATRIX[impact][urgency], impact, urgency, cues: { impact: impactCues, urgency: urgencyCues } };
}
