CREATE TABLE "employees" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" varchar(254) NOT NULL,
	"name" varchar(120) NOT NULL,
	"team_slug" varchar(40),
	"department" varchar(80) DEFAULT '' NOT NULL,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"seniority" varchar(20) DEFAULT 'mid' NOT NULL,
	"max_open_tickets" integer DEFAULT 10 NOT NULL,
	"time_zone" varchar(64) DEFAULT 'UTC' NOT NULL,
	"work_start_min" smallint DEFAULT 540 NOT NULL,
	"work_end_min" smallint DEFAULT 1020 NOT NULL,
	"work_days" smallint[] DEFAULT '{1,2,3,4,5}'::smallint[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"user_id" uuid,
	"embedding" real[],
	"embedding_model" varchar(80),
	"source_upload_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "employees_email_unique" UNIQUE("email"),
	CONSTRAINT "employees_user_id_unique" UNIQUE("user_id"),
	CONSTRAINT "employees_email_lower" CHECK ("employees"."email" = lower("employees"."email") AND position('@' in "employees"."email") > 1),
	CONSTRAINT "employees_name_not_blank" CHECK (length(btrim("employees"."name")) > 0),
	CONSTRAINT "employees_seniority" CHECK (seniority IN ('junior', 'mid', 'senior', 'lead')),
	CONSTRAINT "employees_max_open" CHECK ("employees"."max_open_tickets" BETWEEN 0 AND 1000),
	CONSTRAINT "employees_work_minutes" CHECK ("employees"."work_start_min" BETWEEN 0 AND 1440 AND "employees"."work_end_min" BETWEEN 0 AND 1440),
	CONSTRAINT "employees_skills_count" CHECK (cardinality("employees"."skills") <= 100)
);
--> statement-breakpoint
CREATE TABLE "external_pushes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "external_pushes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"ticket_id" bigint NOT NULL,
	"target_id" uuid NOT NULL,
	"event_id" bigint NOT NULL,
	"action" varchar(20) NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status_code" integer,
	"last_error" varchar(2000),
	"last_attempt_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	CONSTRAINT "external_pushes_action" CHECK (action IN ('create', 'update', 'comment')),
	CONSTRAINT "external_pushes_status" CHECK (status IN ('pending', 'done', 'dead', 'skipped'))
);
--> statement-breakpoint
CREATE TABLE "external_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(80) NOT NULL,
	"team_slug" varchar(40) NOT NULL,
	"kind" varchar(20) NOT NULL,
	"url" varchar(2000) NOT NULL,
	"method" varchar(10) DEFAULT 'POST' NOT NULL,
	"header_names" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"headers_ciphertext" text,
	"secret_ciphertext" text,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"priority_threshold" "ticket_priority" DEFAULT 'P4' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"retry_limit" integer DEFAULT 10 NOT NULL,
	"retry_delay_s" integer DEFAULT 10 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "external_targets_kind" CHECK (kind IN ('jira', 'freshservice', 'slack', 'webhook')),
	CONSTRAINT "external_targets_method" CHECK (method IN ('POST', 'PUT', 'PATCH')),
	CONSTRAINT "external_targets_name_not_blank" CHECK (length(btrim("external_targets"."name")) > 0),
	CONSTRAINT "external_targets_url_http" CHECK ("external_targets"."url" ~ '^https?://'),
	CONSTRAINT "external_targets_retry_limit" CHECK ("external_targets"."retry_limit" BETWEEN 0 AND 50),
	CONSTRAINT "external_targets_retry_delay" CHECK ("external_targets"."retry_delay_s" BETWEEN 1 AND 3600)
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"scope" varchar(120) NOT NULL,
	"key" varchar(255) NOT NULL,
	"request_hash" varchar(64) NOT NULL,
	"status_code" integer NOT NULL,
	"response" jsonb NOT NULL,
	"ticket_id" bigint,
	"api_key_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_external_links" (
	"ticket_id" bigint NOT NULL,
	"target_id" uuid NOT NULL,
	"kind" varchar(20) NOT NULL,
	"external_id" varchar(200),
	"external_url" varchar(2000),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "assignment_mode" varchar(20) DEFAULT 'auto' NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket_assignments" ADD COLUMN "details" jsonb;--> statement-breakpoint
ALTER TABLE "employees" ADD CONSTRAINT "employees_team_slug_teams_slug_fk" FOREIGN KEY ("team_slug") REFERENCES "public"."teams"("slug") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "employees" ADD CONSTRAINT "employees_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employees" ADD CONSTRAINT "employees_source_upload_id_uploads_id_fk" FOREIGN KEY ("source_upload_id") REFERENCES "public"."uploads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_pushes" ADD CONSTRAINT "external_pushes_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_pushes" ADD CONSTRAINT "external_pushes_target_id_external_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."external_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_targets" ADD CONSTRAINT "external_targets_team_slug_teams_slug_fk" FOREIGN KEY ("team_slug") REFERENCES "public"."teams"("slug") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "external_targets" ADD CONSTRAINT "external_targets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_external_links" ADD CONSTRAINT "ticket_external_links_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_external_links" ADD CONSTRAINT "ticket_external_links_target_id_external_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."external_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "employees_team_idx" ON "employees" USING btree ("team_slug") WHERE "employees"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "external_pushes_target_event_unique" ON "external_pushes" USING btree ("target_id","event_id");--> statement-breakpoint
CREATE INDEX "external_pushes_ticket_idx" ON "external_pushes" USING btree ("ticket_id","id");--> statement-breakpoint
CREATE INDEX "external_pushes_dead_idx" ON "external_pushes" USING btree ("last_attempt_at" DESC NULLS LAST) WHERE "external_pushes"."status" = 'dead';--> statement-breakpoint
CREATE UNIQUE INDEX "external_targets_team_name_unique" ON "external_targets" USING btree ("team_slug","name");--> statement-breakpoint
CREATE INDEX "external_targets_team_idx" ON "external_targets" USING btree ("team_slug") WHERE "external_targets"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "idempotency_keys_scope_key_unique" ON "idempotency_keys" USING btree ("scope","key");--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_idx" ON "idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_external_links_unique" ON "ticket_external_links" USING btree ("ticket_id","target_id");--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_assignment_mode" CHECK (assignment_mode IN ('auto', 'round_robin', 'manual'));