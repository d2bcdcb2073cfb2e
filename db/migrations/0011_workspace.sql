CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "csat_ratings" (
	"ticket_id" bigint PRIMARY KEY NOT NULL,
	"rating" varchar(4) NOT NULL,
	"comment" varchar(1000),
	"requester_email" varchar(254) NOT NULL,
	"team_slug" varchar(40),
	"assignee_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "csat_ratings_rating" CHECK ("csat_ratings"."rating" IN ('good', 'bad'))
);
--> statement-breakpoint
CREATE TABLE "deflections" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "deflections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"ticket_id" bigint,
	"requester_email" varchar(254),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "macros" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(80) NOT NULL,
	"body" varchar(10000) NOT NULL,
	"internal" boolean DEFAULT false NOT NULL,
	"actions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"owner_id" uuid,
	"usage_count" integer DEFAULT 0 NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "macros_name_not_blank" CHECK (length(btrim("macros"."name")) > 0),
	CONSTRAINT "macros_actions_object" CHECK (jsonb_typeof("macros"."actions") = 'object')
);
--> statement-breakpoint
CREATE TABLE "saved_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(80) NOT NULL,
	"owner_id" uuid,
	"filters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sort" varchar(20) DEFAULT 'created' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_views_name_not_blank" CHECK (length(btrim("saved_views"."name")) > 0),
	CONSTRAINT "saved_views_filters_object" CHECK (jsonb_typeof("saved_views"."filters") = 'object')
);
--> statement-breakpoint
CREATE TABLE "search_terms" (
	"term" varchar(64) PRIMARY KEY NOT NULL,
	"doc_count" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_links" (
	"ticket_id" bigint NOT NULL,
	"related_id" bigint NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_links_ticket_id_related_id_pk" PRIMARY KEY("ticket_id","related_id"),
	CONSTRAINT "ticket_links_ordered" CHECK ("ticket_links"."ticket_id" < "ticket_links"."related_id")
);
--> statement-breakpoint
CREATE TABLE "ticket_reads" (
	"user_id" uuid NOT NULL,
	"ticket_id" bigint NOT NULL,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_reads_user_id_ticket_id_pk" PRIMARY KEY("user_id","ticket_id")
);
--> statement-breakpoint
CREATE TABLE "ticket_tags" (
	"ticket_id" bigint NOT NULL,
	"tag" varchar(40) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_tags_ticket_id_tag_pk" PRIMARY KEY("ticket_id","tag"),
	CONSTRAINT "ticket_tags_format" CHECK ("ticket_tags"."tag" ~ '^[a-z0-9][a-z0-9._-]*$')
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "merged_into_id" bigint;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "last_requester_reply_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "csat_ratings" ADD CONSTRAINT "csat_ratings_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_ratings" ADD CONSTRAINT "csat_ratings_team_slug_teams_slug_fk" FOREIGN KEY ("team_slug") REFERENCES "public"."teams"("slug") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "csat_ratings" ADD CONSTRAINT "csat_ratings_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deflections" ADD CONSTRAINT "deflections_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "macros" ADD CONSTRAINT "macros_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "macros" ADD CONSTRAINT "macros_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_links" ADD CONSTRAINT "ticket_links_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_links" ADD CONSTRAINT "ticket_links_related_id_tickets_id_fk" FOREIGN KEY ("related_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_links" ADD CONSTRAINT "ticket_links_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_reads" ADD CONSTRAINT "ticket_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_reads" ADD CONSTRAINT "ticket_reads_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_tags" ADD CONSTRAINT "ticket_tags_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "csat_ratings_created_idx" ON "csat_ratings" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "csat_ratings_team_created_idx" ON "csat_ratings" USING btree ("team_slug","created_at");--> statement-breakpoint
CREATE INDEX "deflections_created_idx" ON "deflections" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "macros_owner_name_unique" ON "macros" USING btree (coalesce("owner_id", '00000000-0000-0000-0000-000000000000'::uuid),lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_owner_name_unique" ON "saved_views" USING btree (coalesce("owner_id", '00000000-0000-0000-0000-000000000000'::uuid),lower("name"));--> statement-breakpoint
CREATE INDEX "search_terms_trgm_idx" ON "search_terms" USING gin ("term" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "ticket_links_related_idx" ON "ticket_links" USING btree ("related_id");--> statement-breakpoint
CREATE INDEX "ticket_tags_tag_idx" ON "ticket_tags" USING btree ("tag","ticket_id");--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_merged_into_id_tickets_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "users_name_trgm_idx" ON "users" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "users_email_trgm_idx" ON "users" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "tickets_requester_email_trgm_idx" ON "tickets" USING gin ("requester_email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "tickets_updated_idx" ON "tickets" USING btree ("updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tickets_merged_into_idx" ON "tickets" USING btree ("merged_into_id") WHERE "tickets"."merged_into_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "tickets_unsolved_idx" ON "tickets" USING btree ("team_slug","assignee_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "tickets"."status" IN ('new', 'open', 'in_progress', 'waiting');--> statement-breakpoint
CREATE INDEX "tickets_resolved_at_idx" ON "tickets" USING btree ("resolved_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "tickets"."resolved_at" IS NOT NULL;--> statement-breakpoint
-- The unread marker: when the requester last commented, on any channel.
CREATE OR REPLACE FUNCTION sb_ticket_requester_reply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets SET last_requester_reply_at = NEW.created_at
   WHERE id = NEW.ticket_id AND (last_requester_reply_at IS NULL OR last_requester_reply_at < NEW.created_at);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER ticket_comments_requester_reply AFTER INSERT ON ticket_comments
  FOR EACH ROW WHEN (NEW.author_role = 'requester' AND NOT NEW.internal) EXECUTE FUNCTION sb_ticket_requester_reply();--> statement-breakpoint
UPDATE tickets t SET last_requester_reply_at = c.at
  FROM (SELECT ticket_id, max(created_at) AS at FROM ticket_comments WHERE author_role = 'requester' AND NOT internal GROUP BY ticket_id) c
 WHERE c.ticket_id = t.id;
