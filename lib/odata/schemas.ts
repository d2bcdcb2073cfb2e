import { z } from "zod";
import { ODATA_AUTH_KINDS, ODATA_VERSIONS } from "@/db/schema/sla";
import { TargetUrlSchema } from "@/lib/routing/targets/schemas";
import { EmailSchema, PrioritySchema, SlugSchema, text } from "@/lib/tickets/schemas";

/*
 * One zod schema per payload of the OData sources API: POST /api/odata/sources
 * (CreateODataSourceSchema), PATCH /api/odata/sources/{id} (UpdateODataSourceSchema), the admin
 * form's server actions and the OpenAPI document. Imported by client components (the form
 * validates before sending), so nothing here may import server-only modules.
 */

/** An OData property name (entity property): letters, digits, `_`; at most 128 characters. */
const PropertySchema = z
  .string()
  .trim()
  .min(1, "Name a property")
  .max(128, "A property name has at most 128 characters")
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "A property name has only letters, digits and _ (as in the entity type)");

/**
 * How a record becomes a ticket (db/schema/sla.ts ODataMapping): property names for title,
 * description, priority, external id and changed-at; `priorityMap` maps the record's priority
 * values (as text, e.g. `1` or `VERY_HIGH`) to P1–P4, else `defaultPriority`; `closed` drops
 * records whose `field` has one of `values`.
 */
export const ODataMappingSchema = z.strictObject({
  title: PropertySchema.describe("Property holding the ticket title"),
  description: PropertySchema.nullable().optional().describe("Property holding the description"),
  priority: PropertySchema.nullable().optional().describe("Property holding the priority value (mapped with priorityMap)"),
  externalId: PropertySchema.describe("Property identifying the record (its key); one ticket per value"),
  changedAt: PropertySchema.nullable().optional().describe("Changed-at property (Edm.DateTime / DateTimeOffset) for delta pulls"),
  priorityMap: z
    .record(text().trim().min(1).max(40), PrioritySchema)
    .refine((m) => Object.keys(m).length <= 50, { message: "At most 50 priority values" })
    .optional()
    .describe("Record value → P1..P4, e.g. {\"1\": \"P1\", \"VERY_HIGH\": \"P1\"}"),
  defaultPriority: PrioritySchema.optional().describe("Priority when the value is missing or not in priorityMap; default P3"),
  closed: z
    .strictObject({
      field: PropertySchema,
      values: z.array(text().trim().min(1).max(100)).min(1, "List at least one value").max(50),
    })
    .nullable()
    .optional()
    .describe("Drop records whose `field` has one of `values` (e.g. status CLOSED)"),
});
export type ODataMappingInput = z.output<typeof ODataMappingSchema>;

/** Base URL of the OData service: an http(s) URL without credentials (as push targets'), and no query. */
export const ODataBaseUrlSchema = TargetUrlSchema.refine(
  (u) => {
    const p = new URL(u);
    return !p.search && !p.hash;
  },
  { message: "The service URL takes no query; use $filter, $select, SAP client and language" },
).describe("Service root, e.g. https://sap.example.com/sap/opu/odata/sap/ZPM_NOTIF_SRV");

const fields = {
  name: text().trim().min(1, "Enter a name").max(80, "The name has at most 80 characters").describe("Unique name"),
  version: z.enum(ODATA_VERSIONS).describe("v2 (SAP Gateway) or v4 (S/4HANA)"),
  baseUrl: ODataBaseUrlSchema,
  entitySet: text()
    .trim()
    .min(1, "Enter the entity set")
    .max(200)
    .regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, "An entity set name has only letters, digits, _ and .")
    .describe("Entity set, e.g. NotificationSet"),
  filter: text().trim().max(2000).nullable().describe("$filter expression, as OData writes it (e.g. Priority le '2')"),
  select: text()
    .trim()
    .max(2000)
    .regex(/^[A-Za-z0-9_,./ ]*$/, "List properties separated by commas")
    .nullable()
    .describe("$select: comma-separated properties"),
  authKind: z.enum(ODATA_AUTH_KINDS).describe("none, basic (username + password) or bearer (token)"),
  username: text().trim().max(200).nullable().describe("Basic auth user"),
  secret: text().min(1, "Enter the secret, or leave it out").max(4000).nullable().describe("Write-only: the basic password or bearer token; stored encrypted"),
  sapClient: z.string().regex(/^[0-9]{3}$/, "The SAP client has 3 digits, e.g. 100").nullable().describe("Sent as the sap-client query parameter"),
  sapLanguage: z
    .string()
    .regex(/^[A-Za-z]{1,2}(-[A-Za-z]{2})?$/, "A language like EN, DE or de-DE")
    .nullable()
    .describe("Sent as the sap-language query parameter"),
  mapping: ODataMappingSchema,
  category: SlugSchema.nullable().describe("Category slug of created tickets; null: triage suggests"),
  team: SlugSchema.nullable().describe("Team slug of created tickets; null: the category's team or triage"),
  intervalMin: z.number().int().min(1, "At least 1 minute").max(10080, "At most a week (10,080 minutes)").describe("Pull every N minutes"),
  reportTo: z.array(EmailSchema).max(20, "At most 20 recipients").describe("Stakeholders mailed each run's report"),
  active: z.boolean(),
};

function checkAuth(v: { authKind?: string; username?: string | null; secret?: string | null }, ctx: z.core.$RefinementCtx<unknown>, creating: boolean): void {
  if (v.authKind === "basic" && creating && !v.username) ctx.addIssue({ code: "custom", path: ["username"], message: "Basic auth needs a username" });
  if (creating && (v.authKind === "basic" || v.authKind === "bearer") && !v.secret) {
    ctx.addIssue({ code: "custom", path: ["secret"], message: v.authKind === "basic" ? "Basic auth needs a password" : "Bearer auth needs a token" });
  }
}

/** POST /api/odata/sources (admins) and the admin create form. `secret` is write-only. */
export const CreateODataSourceSchema = z
  .strictObject({
    name: fields.name,
    version: fields.version,
    baseUrl: fields.baseUrl,
    entitySet: fields.entitySet,
    filter: fields.filter.optional(),
    select: fields.select.optional(),
    authKind: fields.authKind.default("none"),
    username: fields.username.optional(),
    secret: fields.secret.optional(),
    sapClient: fields.sapClient.optional(),
    sapLanguage: fields.sapLanguage.optional(),
    mapping: fields.mapping,
    category: fields.category.optional(),
    team: fields.team.optional(),
    intervalMin: fields.intervalMin.default(15),
    reportTo: fields.reportTo.default([]),
    active: fields.active.default(true),
  })
  .superRefine((v, ctx) => checkAuth(v, ctx, true));
export type CreateODataSourceInput = z.output<typeof CreateODataSourceSchema>;

/**
 * PATCH /api/odata/sources/{id} (admins) and the admin edit form: any subset. Leaving out
 * `secret` keeps the stored one; `null` clears it. Changing the filter, entity set or mapping
 * does not reset the delta cursor; send `resetDelta: true` to pull everything again.
 */
export const UpdateODataSourceSchema = z
  .strictObject({
    name: fields.name.optional(),
    version: fields.version.optional(),
    baseUrl: fields.baseUrl.optional(),
    entitySet: fields.entitySet.optional(),
    filter: fields.filter.optional(),
    select: fields.select.optional(),
    authKind: fields.authKind.optional(),
    username: fields.username.optional(),
    secret: fields.secret.optional(),
    sapClient: fields.sapClient.optional(),
    sapLanguage: fields.sapLanguage.optional(),
    mapping: fields.mapping.optional(),
    category: fields.category.optional(),
    team: fields.team.optional(),
    intervalMin: fields.intervalMin.optional(),
    reportTo: fields.reportTo.optional(),
    active: fields.active.optional(),
    resetDelta: z.literal(true).optional().describe("Forget the delta cursor: the next pull reads every record"),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change" });
export type UpdateODataSourceInput = z.output<typeof UpdateODataSourceSchema>;

/** GET /api/odata/sources/{id}/runs query: newest first. */
export const ListODataRunsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe("Page size, 1-100; default 20"),
});
export type ListODataRunsQuery = z.output<typeof ListODataRunsQuerySchema>;
