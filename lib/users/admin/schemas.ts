import { z } from "zod";
import { ROLES } from "@/db/schema/enums";
import { text } from "@/lib/tickets/schemas";

/*
 * One zod schema per payload of the people admin (lib/users/admin): shared by the admin JSON
 * API (app/api/admin/users), the server actions of /admin/people, the public password pages
 * and the OpenAPI document.
 */

/** Shortest password we accept (the same as the first admin's: lib/auth/setup.ts). */
export const PASSWORD_MIN = 12;
/** Longest password we accept (bcrypt reads 72 bytes; the rest is refused rather than ignored silently). */
export const PASSWORD_MAX = 72;

/** A new password: 12 to 72 characters. */
export const NewPasswordSchema = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`)
  .refine((p) => Buffer.byteLength(p, "utf8") <= PASSWORD_MAX, `Use at most ${PASSWORD_MAX} bytes`);

const Email = z.string().trim().toLowerCase().email("Enter a valid e-mail address").max(254);
const TeamSlug = z
  .string()
  .trim()
  .max(40)
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "Pick a team from the list");

/** Where a person stands: can sign in (`active`), invited and not yet accepted (`invited`), or switched off (`deactivated`). */
export const PERSON_STATUSES = ["active", "invited", "deactivated"] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/** POST /api/admin/users: invite a person (a set-password link is mailed). */
export const InvitePersonSchema = z
  .object({
    email: Email.describe("The person's e-mail address (lower-cased); the invite link is mailed there"),
    name: text().trim().min(1, "Enter a name").max(120).describe("Display name"),
    role: z.enum(ROLES).default("agent").describe("requester, agent or admin"),
    teamSlug: TeamSlug.nullish().describe("Team (assignment group) slug; null or absent: none"),
  })
  .strict();
export type InvitePersonInput = z.infer<typeof InvitePersonSchema>;

/** PATCH /api/admin/users/{id}: any of role, team, active. */
export const UpdatePersonSchema = z
  .object({
    role: z.enum(ROLES).optional().describe("New role; ends the person's sessions and revokes their API keys"),
    teamSlug: TeamSlug.nullable().optional().describe("Team slug, or null for none"),
    active: z.boolean().optional().describe("false deactivates (sessions end, API keys revoked); true reactivates"),
  })
  .strict()
  .refine((v) => v.role !== undefined || v.teamSlug !== undefined || v.active !== undefined, "Send at least one of role, teamSlug, active");
export type UpdatePersonInput = z.infer<typeof UpdatePersonSchema>;

/** GET /api/admin/users query: search and filters, newest first. */
export const ListPeopleQuerySchema = z
  .object({
    q: z.string().trim().max(200).optional().describe("Part of the name or e-mail (case-insensitive)"),
    role: z.enum(ROLES).optional(),
    status: z.enum(PERSON_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type ListPeopleQuery = z.infer<typeof ListPeopleQuerySchema>;

/** One person as admins see them (never a password hash or a token). */
export const PersonSchema = z.object({
  id: z.string().uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  teamSlug: z.string().nullable(),
  status: z.enum(PERSON_STATUSES),
  /** False for invited people and people created without a password (employee import, SSO). */
  hasPassword: z.boolean(),
  /** Expiry of the newest unused invite link (ISO), null when none is pending. */
  inviteExpiresAt: z.string().nullable(),
  lastSignInAt: z.string().nullable(),
  createdAt: z.string(),
});
export type PersonDTO = z.infer<typeof PersonSchema>;

/** Response of GET /api/admin/users. */
export const PeopleListSchema = z.object({ items: z.array(PersonSchema), total: z.number().int() });
export type PeopleList = z.infer<typeof PeopleListSchema>;

/** Response of POST /api/admin/users/{id}/password-reset (and of an invite: when the link expires). */
export const LinkSentSchema = z.object({ sent: z.literal(true), to: z.string(), expiresAt: z.string() });
export type LinkSent = z.infer<typeof LinkSentSchema>;

/** The "forgot password" form. */
export const ForgotPasswordSchema = z.object({ email: Email }).strict();

/** The invite and reset pages: the token from the link and the new password (typed twice). */
export const SetPasswordSchema = z
  .object({
    token: z.string().min(1).max(200),
    password: NewPasswordSchema,
    confirm: z.string().max(200),
  })
  .strict()
  .refine((v) => v.password === v.confirm, { message: "The two passwords differ", path: ["confirm"] });

/** /settings/password: the current password and the new one (typed twice). */
export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password").max(200),
    password: NewPasswordSchema,
    confirm: z.string().max(200),
  })
  .strict()
  .refine((v) => v.password === v.confirm, { message: "The two passwords differ", path: ["confirm"] })
  .refine((v) => v.password !== v.currentPassword, { message: "Choose a password different from the current one", path: ["password"] });
