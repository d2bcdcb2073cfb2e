import { describe, expect, it } from "vitest";
import { pickPolicy, policySpecificity, requesterDomain, type PolicyCandidate } from "@/lib/sla/policies";

type Named = PolicyCandidate & { name: string };
let seq = 0;
function policy(name: string, p: Partial<PolicyCandidate> = {}): Named {
  seq++;
  return {
    name,
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    priority: "P2",
    active: true,
    categorySlug: null,
    teamSlug: null,
    orgDomain: null,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
    ...p,
  };
}

const ticket = { priority: "P2" as const, categorySlug: "access", teamSlug: "identity-access", requesterEmail: "Alice@Acme.example" };

describe("pickPolicy: the most specific matching policy wins", () => {
  const base = policy("base");
  const team = policy("team", { teamSlug: "identity-access" });
  const cat = policy("category", { categorySlug: "access" });
  const org = policy("org", { orgDomain: "acme.example" });
  const catTeam = policy("category+team", { categorySlug: "access", teamSlug: "identity-access" });
  const orgTeam = policy("org+team", { orgDomain: "acme.example", teamSlug: "identity-access" });
  const orgCat = policy("org+category", { orgDomain: "acme.example", categorySlug: "access" });
  const all = policy("org+category+team", { orgDomain: "acme.example", categorySlug: "access", teamSlug: "identity-access" });
  const otherCat = policy("other category", { categorySlug: "hardware", orgDomain: "acme.example", teamSlug: "identity-access" });
  const otherOrg = policy("other org", { orgDomain: "globex.example" });
  const otherPriority = policy("P1 catch-all", { priority: "P1" });
  const inactive = policy("inactive, most specific", { active: false, orgDomain: "acme.example", categorySlug: "access", teamSlug: "identity-access" });

  it.each([
    // [candidates, winner]
    [[base], "base"],
    [[base, team], "team"],
    [[team, cat], "category"],
    [[cat, org], "org"],
    [[team, cat, org], "org"],
    [[org, catTeam], "category+team"], // two narrowing fields beat one, whichever
    [[catTeam, orgTeam], "org+team"],
    [[orgTeam, orgCat], "org+category"],
    [[orgCat, all], "org+category+team"],
    [[all, inactive], "org+category+team"], // inactive policies never apply
    [[base, otherCat, otherOrg], "base"], // a set field that differs rules a policy out
    [[otherPriority], null], // only the ticket's priority
    [[otherCat, otherOrg, inactive], null],
    [[], null],
  ] as const)("%#: → %s", (candidates, winner) => {
    const list = candidates as unknown as Named[];
    expect(pickPolicy(list, ticket)?.name ?? null).toBe(winner);
    expect(pickPolicy([...list].reverse(), ticket)?.name ?? null).toBe(winner);
  });

  it("ties go to the oldest, then the smallest id", () => {
    const older = policy("older", { teamSlug: "identity-access", createdAt: new Date("2026-01-01T00:00:00Z") });
    const newer = policy("newer", { teamSlug: "identity-access", createdAt: new Date("2026-02-01T00:00:00Z") });
    expect(pickPolicy([newer, older], ticket)?.name).toBe("older");
    const a = policy("a", { id: "00000000-0000-4000-8000-00000000000a", createdAt: "2026-03-01T00:00:00Z" });
    const b = policy("b", { id: "00000000-0000-4000-8000-00000000000b", createdAt: "2026-03-01T00:00:00Z" });
    expect(pickPolicy([b, a], ticket)?.name).toBe("a");
  });

  it("a ticket without a team matches only policies without a team", () => {
    expect(pickPolicy([team, base], { ...ticket, teamSlug: null })?.name).toBe("base");
  });

  it("specificity and domain helpers", () => {
    expect(policySpecificity({ orgDomain: "x", categorySlug: null, teamSlug: null })).toEqual([1, 4]);
    expect(policySpecificity({ orgDomain: null, categorySlug: "c", teamSlug: "t" })).toEqual([2, 3]);
    expect(requesterDomain("Bob@Sub.Example.COM")).toBe("sub.example.com");
    expect(requesterDomain("nobody")).toBe("");
  });
});
