import type { z } from "zod";
import type { OpenApiHelpers } from "@/lib/files/compliance/openapi";
import { CreateMailboxSchema, ListInboundQuerySchema, ListOutboxQuerySchema, UpdateMailboxSchema, UpdatePreferencesSchema } from "../schemas";

type JsonSchema = Record<string, unknown>;

const rowParam = { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^[1-9][0-9]*$" } };
const uuidParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const tokenParam = { name: "token", in: "query", required: true, schema: { type: "string", maxLength: 1000 }, description: "The signed token of the mail's unsubscribe link" };

/**
 * OpenAPI path items of the mail admin API (/api/admin/outbox, /api/admin/mailboxes,
 * /api/admin/inbound) and of the people's side (/api/mail/preferences, /api/mail/unsubscribe),
 * generated from the zod schemas the route handlers parse with. Spread into lib/http/openapi.ts.
 */
export function mailAdminOpenApiPaths(h: OpenApiHelpers): Record<string, JsonSchema> {
  const requestBody = (schema: z.ZodType) => ({ required: true, content: { "application/json": { schema: h.body(schema) } } });
  return {
    "/api/admin/outbox": {
      get: {
        summary: "Outgoing mail, newest first: the dev outbox when SMTP_URL is unset, else the delivery log (admins)",
        parameters: h.queryParams(ListOutboxQuerySchema),
        responses: { ...h.ok("{smtpConfigured, items: [{id, createdAt, sentAt, to, kind, kindLabel, subject, status, attempts, ticketKey, lastError}], nextCursor}"), ...h.errors(400, 401, 403) },
      },
    },
    "/api/admin/outbox/{id}": {
      get: {
        summary: "One outgoing mail with its headers and text part (admins)",
        parameters: [rowParam],
        responses: { ...h.ok("{…list fields, messageId, inReplyTo, references, headers, text, hasHtml, handler, eventId}"), ...h.errors(401, 403, 404) },
      },
    },
    "/api/admin/outbox/{id}/html": {
      get: {
        summary: "The mail's HTML part as text/html under a sandboxing CSP, for the outbox page's <iframe sandbox> (admins)",
        parameters: [rowParam],
        responses: { "200": { description: "text/html" }, ...h.errors(401, 403, 404) },
      },
    },
    "/api/admin/outbox/{id}/resend": {
      post: {
        summary: "Queue a failed mail for delivery again, same Message-ID (admins)",
        parameters: [rowParam],
        responses: { ...h.ok("{id, status: queued}", "202"), ...h.errors(401, 403, 404, 409) },
      },
    },
    "/api/admin/mailboxes": {
      get: {
        summary: "IMAP mailboxes: the IMAP_URL one (read-only, no password) and the stored ones (admins)",
        responses: { ...h.ok("{env: EnvMailbox | null, items: Mailbox[]}"), ...h.errors(401, 403) },
      },
      post: {
        summary: "Add an IMAP mailbox (admins); the password is stored encrypted and never returned",
        requestBody: requestBody(CreateMailboxSchema),
        responses: { ...h.ok("Mailbox", "201"), ...h.errors(400, 401, 403, 409, 413, 415) },
      },
    },
    "/api/admin/mailboxes/{id}": {
      get: { summary: "An IMAP mailbox (admins)", parameters: [uuidParam], responses: { ...h.ok("Mailbox"), ...h.errors(401, 403, 404) } },
      patch: {
        summary: "Change an IMAP mailbox (admins); leaving out `password` keeps it",
        parameters: [uuidParam],
        requestBody: requestBody(UpdateMailboxSchema),
        responses: { ...h.ok("Mailbox"), ...h.errors(400, 401, 403, 404, 409, 413, 415) },
      },
      delete: { summary: "Delete an IMAP mailbox (admins)", parameters: [uuidParam], responses: { "204": { description: "Deleted" }, ...h.errors(401, 403, 404) } },
    },
    "/api/admin/inbound": {
      get: {
        summary: "Inbound e-mail, newest first (admins)",
        parameters: h.queryParams(ListInboundQuerySchema),
        responses: { ...h.ok("{items: [{id, receivedAt, processedAt, source, from, subject, status, action, reason, error, ticketKey, sizeBytes, messageId}], nextCursor}"), ...h.errors(400, 401, 403) },
      },
    },
    "/api/admin/inbound/{id}": {
      get: {
        summary: "One inbound message parsed: headers, text (HTML only ever converted to text), attachments (admins)",
        parameters: [rowParam],
        responses: { ...h.ok("{…list fields, headers: [{name, value}], text, textFromHtml, attachments, parseError}"), ...h.errors(401, 403, 404) },
      },
    },
    "/api/admin/inbound/{id}/raw": {
      get: {
        summary: "The raw RFC 822 message as a download (message/rfc822, admins)",
        parameters: [rowParam],
        responses: { "200": { description: "message/rfc822 attachment" }, ...h.errors(401, 403, 404) },
      },
    },
    "/api/admin/inbound/{id}/replay": {
      post: {
        summary: "Process a failed or received inbound message again (admins)",
        parameters: [rowParam],
        responses: { ...h.ok("{inboundId, status, duplicate, action?, ticketKey?, reason?, error?}"), ...h.errors(401, 403, 404, 409) },
      },
    },
    "/api/mail/preferences": {
      get: {
        summary: "The signed-in person's mail settings: each optional kind their role gets, on or off",
        responses: { ...h.ok("{email, kinds: [{kind, label, enabled}]}"), ...h.errors(401, 403) },
      },
      put: {
        summary: "Switch kinds of mail on or off for the signed-in person (kinds left out keep their setting)",
        requestBody: requestBody(UpdatePreferencesSchema),
        responses: { ...h.ok("{email, kinds: [{kind, label, enabled}]}"), ...h.errors(400, 401, 403, 413, 415) },
      },
    },
    "/api/mail/unsubscribe": {
      post: {
        summary: "RFC 8058 one-click unsubscribe (no sign-in): switches the token's kind of mail off for its address; idempotent",
        parameters: [tokenParam],
        requestBody: {
          required: false,
          content: { "application/x-www-form-urlencoded": { schema: { type: "object", properties: { "List-Unsubscribe": { type: "string", enum: ["One-Click"] } } } } },
        },
        responses: { ...h.ok("{kind, label, enabled: false}"), "303": { description: "From the /unsubscribe page's form (return=page): back to the page" }, ...h.errors(400, 413) },
      },
    },
  };
}
