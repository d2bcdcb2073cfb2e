import { bigint, index, jsonb, pgTable, timestamp, varchar } from "drizzle-orm/pg-core";
import { actorTypeEnum } from "./enums";
import { tickets } from "./tickets";

/**
 * Append-only audit trail. Every write that matters adds a row in the same transaction:
 * who (actor), what (action), and the changed fields before/after.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ticketId: bigint("ticket_id", { mode: "number" }).references(() => tickets.id, { onDelete: "cascade" }),
    entityType: varchar("entity_type", { length: 40 }).notNull(),
    entityId: varchar("entity_id", { length: 80 }).notNull(),
    actorType: actorTypeEnum("actor_type").notNull(),
    actorId: varchar("actor_id", { length: 80 }),
    actorLabel: varchar("actor_label", { length: 254 }).notNull(),
    action: varchar("action", { length: 60 }).notNull(),
    before: jsonb("before").$type<Record<string, unknown> | null>(),
    after: jsonb("after").$type<Record<string, unknown> | null>(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_events_ticket_idx").on(t.ticketId, t.at),
    index("audit_events_entity_idx").on(t.entityType, t.entityId, t.at),
  ],
);
