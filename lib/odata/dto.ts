import type { ODataAuthKind, ODataMapping, ODataVersion, odataRuns, odataSources } from "@/db/schema/sla";

/** One entry of a run's `errors`: a request attempt or a record that failed, message as served. */
export type ODataRunError = {
  /** The record's external id, for per-record errors. */
  externalId?: string;
  message: string;
  /** 1-based attempt of the request that failed. */
  attempt?: number;
  /** HTTP status of the failed request, when there was an answer. */
  status?: number;
  /** The URL requested (no credentials: auth goes in a header). */
  url?: string;
};

/** A run (pull) of a source with its report, as the API and admin pages show it. */
export interface ODataRunDTO {
  id: string;
  sourceId: string;
  /** running | succeeded | failed */
  status: string;
  /** schedule | manual */
  trigger: string;
  fetched: number;
  created: number;
  updated: number;
  skipped: number;
  errors: ODataRunError[];
  startedAt: string;
  finishedAt: string | null;
}

/**
 * An OData source as the API and admin pages show it. The secret never appears: `hasSecret`
 * says whether one is stored.
 */
export interface ODataSourceDTO {
  id: string;
  name: string;
  version: ODataVersion;
  baseUrl: string;
  entitySet: string;
  filter: string | null;
  select: string | null;
  authKind: ODataAuthKind;
  username: string | null;
  hasSecret: boolean;
  sapClient: string | null;
  sapLanguage: string | null;
  mapping: ODataMapping;
  category: string | null;
  team: string | null;
  intervalMin: number;
  reportTo: string[];
  active: boolean;
  /** Highest changed-at seen (ISO): the next pull asks for records changed since. */
  deltaCursor: string | null;
  nextRunAt: string;
  createdAt: string;
  updatedAt: string;
  /** The newest run, when any (the list shows its status and counts). */
  lastRun: ODataRunDTO | null;
}

type SourceRow = typeof odataSources.$inferSelect;
type RunRow = typeof odataRuns.$inferSelect;

const iso = (d: Date | string) => new Date(d).toISOString();

/** The public shape of a run row. */
export function toRunDTO(r: RunRow): ODataRunDTO {
  return {
    id: r.id,
    sourceId: r.sourceId,
    status: r.status,
    trigger: r.trigger,
    fetched: r.fetched,
    created: r.created,
    updated: r.updated,
    skipped: r.skipped,
    errors: (r.errors ?? []) as ODataRunError[],
    startedAt: iso(r.startedAt),
    finishedAt: r.finishedAt ? iso(r.finishedAt) : null,
  };
}

/** The public shape of a source row: no ciphertext, only `hasSecret`. */
export function toSourceDTO(r: SourceRow, lastRun: RunRow | null = null): ODataSourceDTO {
  return {
    id: r.id,
    name: r.name,
    version: r.version,
    baseUrl: r.baseUrl,
    entitySet: r.entitySet,
    filter: r.filter,
    select: r.select,
    authKind: r.authKind,
    username: r.username,
    hasSecret: r.secretCiphertext !== null,
    sapClient: r.sapClient,
    sapLanguage: r.sapLanguage,
    mapping: r.mapping,
    category: r.categorySlug,
    team: r.teamSlug,
    intervalMin: r.intervalMin,
    reportTo: [...r.reportTo],
    active: r.active,
    deltaCursor: r.deltaCursor,
    nextRunAt: iso(r.nextRunAt),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    lastRun: lastRun ? toRunDTO(lastRun) : null,
  };
}
