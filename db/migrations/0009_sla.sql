CREATE TABLE "business_calendars" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(80) NOT NULL,
	"time_zone" varchar(64) DEFAULT 'UTC' NOT NULL,
	"always_open" boolean DEFAULT false NOT NULL,
	"hours" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "business_calendars_name_unique" UNIQUE("name"),
	CONSTRAINT "business_calendars_name_not_blank" CHECK (length(btrim("business_calendars"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "calendar_holidays" (
	"calendar_id" uuid NOT NULL,
	"day" date NOT NULL,
	"name" varchar(120) DEFAULT '' NOT NULL,
	CONSTRAINT "calendar_holidays_calendar_id_day_pk" PRIMARY KEY("calendar_id","day")
);
--> statement-breakpoint
CREATE TABLE "odata_records" (
	"source_id" uuid NOT NULL,
	"external_id" varchar(200) NOT NULL,
	"ticket_id" bigint,
	"content_hash" varchar(64) NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "odata_records_source_id_external_id_pk" PRIMARY KEY("source_id","external_id")
);
--> statement-breakpoint
CREATE TABLE "odata_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" uuid NOT NULL,
	"status" varchar(12) DEFAULT 'running' NOT NULL,
	"trigger" varchar(12) DEFAULT 'schedule' NOT NULL,
	"fetched" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "odata_runs_status" CHECK (status IN ('running', 'succeeded', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "odata_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(80) NOT NULL,
	"version" varchar(4) NOT NULL,
	"base_url" varchar(2000) NOT NULL,
	"entity_set" varchar(200) NOT NULL,
	"filter" varchar(2000),
	"select" varchar(2000),
	"auth_kind" varchar(10) DEFAULT 'none' NOT NULL,
	"username" varchar(200),
	"secret_ciphertext" text,
	"sap_client" varchar(3),
	"sap_language" varchar(8),
	"mapping" jsonb NOT NULL,
	"category_slug" varchar(40),
	"team_slug" varchar(40),
	"interval_min" integer DEFAULT 15 NOT NULL,
	"report_to" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"delta_cursor" varchar(64),
	"next_run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "odata_sources_name_unique" UNIQUE("name"),
	CONSTRAINT "odata_sources_version" CHECK (version IN ('v2', 'v4')),
	CONSTRAINT "odata_sources_auth_kind" CHECK (auth_kind IN ('none', 'basic', 'bearer')),
	CONSTRAINT "odata_sources_url_http" CHECK ("odata_sources"."base_url" ~ '^https?://'),
	CONSTRAINT "odata_sources_interval" CHECK ("odata_sources"."interval_min" BETWEEN 1 AND 10080)
);
--> statement-breakpoint
CREATE TABLE "sla_breaches" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sla_breaches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"ticket_id" bigint NOT NULL,
	"target" varchar(20) NOT NULL,
	"level" varchar(10) NOT NULL,
	"cycle" integer DEFAULT 0 NOT NULL,
	"policy_id" uuid,
	"priority" "ticket_priority" NOT NULL,
	"team_slug" varchar(40),
	"due_at" timestamp with time zone NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "sla_breaches_target" CHECK (target IN ('first_response', 'next_response', 'resolution')),
	CONSTRAINT "sla_breaches_level" CHECK (level IN ('warning', 'breach'))
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(80) NOT NULL,
	"priority" "ticket_priority" NOT NULL,
	"category_slug" varchar(40),
	"team_slug" varchar(40),
	"org_domain" varchar(253),
	"calendar_id" uuid NOT NULL,
	"first_response_s" integer NOT NULL,
	"resolution_s" integer NOT NULL,
	"next_response_s" integer,
	"pause_on" text[] DEFAULT '{requester,third_party}'::text[] NOT NULL,
	"at_risk_pct" smallint DEFAULT 80 NOT NULL,
	"escalation" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sla_policies_name_unique" UNIQUE("name"),
	CONSTRAINT "sla_policies_targets" CHECK ("sla_policies"."first_response_s" > 0 AND "sla_policies"."resolution_s" > 0 AND ("sla_policies"."next_response_s" IS NULL OR "sla_policies"."next_response_s" > 0)),
	CONSTRAINT "sla_policies_at_risk_pct" CHECK ("sla_policies"."at_risk_pct" BETWEEN 1 AND 99),
	CONSTRAINT "sla_policies_org_lower" CHECK ("sla_policies"."org_domain" IS NULL OR "sla_policies"."org_domain" = lower("sla_policies"."org_domain"))
);
--> statement-breakpoint
CREATE TABLE "ticket_slas" (
	"ticket_id" bigint PRIMARY KEY NOT NULL,
	"policy_id" uuid,
	"policy_name" varchar(80) NOT NULL,
	"calendar_id" uuid,
	"at_risk_pct" smallint DEFAULT 80 NOT NULL,
	"first_response_target_s" integer NOT NULL,
	"resolution_target_s" integer NOT NULL,
	"next_response_target_s" integer,
	"first_response_due_at" timestamp with time zone NOT NULL,
	"first_response_warn_at" timestamp with time zone NOT NULL,
	"resolution_due_at" timestamp with time zone NOT NULL,
	"resolution_warn_at" timestamp with time zone NOT NULL,
	"next_response_due_at" timestamp with time zone,
	"next_response_warn_at" timestamp with time zone,
	"next_response_started_at" timestamp with time zone,
	"next_response_cycle" integer DEFAULT 0 NOT NULL,
	"first_response_met_at" timestamp with time zone,
	"first_response_business_s" integer,
	"resolution_met_at" timestamp with time zone,
	"resolution_business_s" integer,
	"paused_at" timestamp with time zone,
	"paused_business_s" integer DEFAULT 0 NOT NULL,
	"next_check_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "calendar_holidays" ADD CONSTRAINT "calendar_holidays_calendar_id_business_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."business_calendars"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "odata_records" ADD CONSTRAINT "odata_records_source_id_odata_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."odata_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "odata_records" ADD CONSTRAINT "odata_records_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "odata_runs" ADD CONSTRAINT "odata_runs_source_id_odata_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."odata_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "odata_sources" ADD CONSTRAINT "odata_sources_category_slug_categories_slug_fk" FOREIGN KEY ("category_slug") REFERENCES "public"."categories"("slug") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "odata_sources" ADD CONSTRAINT "odata_sources_team_slug_teams_slug_fk" FOREIGN KEY ("team_slug") REFERENCES "public"."teams"("slug") ON DELETE set null ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "odata_sources" ADD CONSTRAINT "odata_sources_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_breaches" ADD CONSTRAINT "sla_breaches_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_breaches" ADD CONSTRAINT "sla_breaches_policy_id_sla_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."sla_policies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_category_slug_categories_slug_fk" FOREIGN KEY ("category_slug") REFERENCES "public"."categories"("slug") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_team_slug_teams_slug_fk" FOREIGN KEY ("team_slug") REFERENCES "public"."teams"("slug") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_calendar_id_business_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."business_calendars"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_slas" ADD CONSTRAINT "ticket_slas_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_slas" ADD CONSTRAINT "ticket_slas_policy_id_sla_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."sla_policies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_slas" ADD CONSTRAINT "ticket_slas_calendar_id_business_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."business_calendars"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "odata_runs_source_idx" ON "odata_runs" USING btree ("source_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "odata_sources_due_idx" ON "odata_sources" USING btree ("next_run_at") WHERE "odata_sources"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "sla_breaches_once" ON "sla_breaches" USING btree ("ticket_id","target","level","cycle");--> statement-breakpoint
CREATE INDEX "sla_breaches_occurred_idx" ON "sla_breaches" USING btree ("occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_policies_scope_unique" ON "sla_policies" USING btree ("priority",coalesce("category_slug", ''),coalesce("team_slug", ''),coalesce("org_domain", ''));--> statement-breakpoint
CREATE INDEX "ticket_slas_next_check_idx" ON "ticket_slas" USING btree ("next_check_at") WHERE "ticket_slas"."next_check_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "ticket_slas_resolution_due_idx" ON "ticket_slas" USING btree ("resolution_due_at") WHERE "ticket_slas"."resolution_met_at" IS NULL;--> statement-breakpoint
CREATE INDEX "ticket_slas_first_response_due_idx" ON "ticket_slas" USING btree ("first_response_due_at") WHERE "ticket_slas"."first_response_met_at" IS NULL;