import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEvents, categories } from "@/db/schema";
import { insertCategoryExamples } from "@/lib/admin/category-examples";
import { invalidateReferenceData } from "@/lib/reference/cache";
import type { AuditActor } from "@/lib/tickets/access";

/**
 * The demo desk's "Network & VPN" category (issue #13 §4): a category the trained model lacks,
 * taught through the admin path (category_examples + `category.example_added` events, learned by
 * every process: lib/triage/learning.ts) from its description and a handful of written examples.
 * Routed to the infrastructure team.
 */
export const NETWORK_VPN_CATEGORY = {
  slug: "network-vpn",
  name: "Network & VPN",
  teamSlug: "infrastructure",
  description: "Network and VPN outages: VPN down or not connecting, Wi-Fi, internet, network connection and remote access problems",
} as const;

/** Hand-written example tickets of Network & VPN (what an admin would paste in). */
export const NETWORK_VPN_EXAMPLES: readonly { title: string; description: string }[] = [
  { title: "VPN not connecting", description: "The VPN client fails to connect since this morning, I cannot work from home." },
  { title: "VPN keeps disconnecting", description: "My VPN connection drops every few minutes when I work remotely, the network tunnel times out." },
  { title: "No internet on floor 3", description: "The network is down on the third floor, nobody has internet or Wi-Fi since 9am." },
  { title: "Wi-Fi not working in meeting room", description: "The Wi-Fi in meeting room B is not working, laptops cannot connect to the wireless network." },
  { title: "Remote access down", description: "Remote access through the VPN is down for the whole sales team, nobody can connect to the office network." },
  { title: "Slow network connection", description: "The network connection at the branch office is very slow, file transfers and calls keep timing out." },
  { title: "Cannot reach internal sites over VPN", description: "Connected to VPN but internal sites and the intranet do not load, network seems down." },
  { title: "Network cable port dead", description: "The network port at my desk is dead, no connection with the cable, Wi-Fi works." },
];

/**
 * Create the Network & VPN category with its examples unless it exists (idempotent; demo seed only).
 * @returns true when it was created now.
 */
export async function seedNetworkVpnCategory(db: Db): Promise<boolean> {
  const [exists] = await db.select({ slug: categories.slug }).from(categories).where(eq(categories.slug, NETWORK_VPN_CATEGORY.slug)).limit(1);
  if (exists) return false;
  const actor: AuditActor = { actorType: "user", actorId: null, actorLabel: "demo seed" };
  await db.transaction(async (tx) => {
    await tx.insert(categories).values({ ...NETWORK_VPN_CATEGORY });
    await tx.insert(auditEvents).values({
      entityType: "category",
      entityId: NETWORK_VPN_CATEGORY.slug,
      ...actor,
      action: "category.created",
      before: null,
      after: { name: NETWORK_VPN_CATEGORY.name, team: NETWORK_VPN_CATEGORY.teamSlug },
    });
    await insertCategoryExamples(tx, NETWORK_VPN_CATEGORY.slug, NETWORK_VPN_EXAMPLES, actor);
  });
  invalidateReferenceData();
  return true;
}

