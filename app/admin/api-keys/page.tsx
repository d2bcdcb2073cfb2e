import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/components/auth/guards";
import { HeadRow } from "@/components/mail/parts";
import { Card } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/time";
import { listApiKeys, listKeyOwners } from "@/lib/auth/api-keys-admin";
import { scopesForRole } from "@/lib/auth/scopes";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";
import { CreateApiKeyForm, RevokeButton } from "./key-forms";

export const metadata: Metadata = { title: "API keys" };
export const dynamic = "force-dynamic";

const STATUS_LABEL = { active: "Active", expired: "Expired", revoked: "Revoked" } as const;

/** /admin/api-keys: the keys (never their secrets), a create form and revoke buttons. Admins only. */
export default async function AdminApiKeysPage() {
  const principal = await requireAdmin("/admin/api-keys");
  const db = await getDb();
  const [items, owners] = await Promise.all([listApiKeys(db, principal), listKeyOwners(db, principal)]);
  const roleScopes = { requester: scopesForRole("requester"), agent: scopesForRole("agent"), admin: scopesForRole("admin") };
  const now = Date.now();

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Admin</h1>
        <p className="text-sm text-slate-600">API keys: bearer keys for integrations. Only a hash is stored; a key is shown once, when it is created.</p>
      </div>
      <AdminNav current="api-keys" />

      <div className="grid grid-cols-1 items-start gap-5 xl:grid-cols-5">
        <Card className="min-w-0 overflow-hidden xl:col-span-3" aria-labelledby="keys-h">
          <div className="border-b border-slate-200 px-4 py-3">
            <h2 id="keys-h" className="text-base font-semibold text-slate-900">
              API keys
            </h2>
            <p className="text-sm text-slate-600">A revoked key is refused at once here, and within 10 seconds on other instances.</p>
          </div>
          <div className="relative overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="api-key-table">
              <caption className="sr-only">API keys with prefix, owner, scopes, creation, expiry, last use, request count and state</caption>
              <HeadRow labels={["Name", "Acts as", "Scopes", "Created", "Expires", "Last used", "Requests", "State", ""]} />
              <tbody className="divide-y divide-slate-200">
                {items.length === 0 ? (
                  <tr>
                    <td colSpan={9} className="px-3 py-4 text-slate-600">
                      No API keys yet.
                    </td>
                  </tr>
                ) : null}
                {items.map((k) => (
                  <tr key={k.id} className="align-top" data-testid={`api-key-${k.prefix}`}>
                    <th scope="row" className="px-3 py-2.5 text-left font-medium text-slate-900">
                      {k.name}
                      <span className="block font-mono text-xs font-normal text-slate-600">{k.prefix}…</span>
                    </th>
                    <td className="px-3 py-2.5 text-slate-800">
                      {k.owner ? k.owner.email : "integration"} <span className="text-xs text-slate-600">({k.role})</span>
                    </td>
                    <td className="px-3 py-2.5 font-mono text-xs text-slate-800">{k.scopes.join(", ")}</td>
                    <td className="px-3 py-2.5 text-slate-800">
                      <RelativeTime iso={k.createdAt} now={now} />
                      {k.createdBy ? <span className="block text-xs text-slate-600">by {k.createdBy.email}</span> : null}
                    </td>
                    <td className="px-3 py-2.5 text-slate-800">{k.expiresAt ? <RelativeTime iso={k.expiresAt} now={now} /> : "never"}</td>
                    <td className="px-3 py-2.5 text-slate-800">{k.lastUsedAt ? <RelativeTime iso={k.lastUsedAt} now={now} /> : "never"}</td>
                    <td className="px-3 py-2.5 tabular-nums text-slate-800">{k.requestCount}</td>
                    <td className="px-3 py-2.5 text-slate-800" data-testid="api-key-state">
                      {STATUS_LABEL[k.status]}
                    </td>
                    <td className="px-3 py-2.5">{k.status === "revoked" ? null : <RevokeButton name={k.name} action={revokeApiKeyAction.bind(null, k.id)} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
        <Card className="p-4 xl:col-span-2" aria-labelledby="new-key-h">
          <h2 id="new-key-h" className="mb-3 text-base font-semibold text-slate-900">
            New API key
          </h2>
          <CreateApiKeyForm action={createApiKeyAction} owners={owners} me={principal.userId} roleScopes={roleScopes} />
        </Card>
      </div>
    </div>
  );
}
