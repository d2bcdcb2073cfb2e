CREATE TABLE "compliance_rule_sets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(120) NOT NULL,
	"description" varchar(2000) DEFAULT '' NOT NULL,
	"rules" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "compliance_rule_sets_name_unique" UNIQUE("name"),
	CONSTRAINT "compliance_rule_sets_name_not_blank" CHECK (length(btrim("compliance_rule_sets"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "serial_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "serial_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"gtin" varchar(14) NOT NULL,
	"serial" varchar(20) NOT NULL,
	"event" varchar(20) NOT NULL,
	"event_time" timestamp with time zone,
	"location" varchar(200),
	"upload_id" uuid NOT NULL,
	"row" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "serial_items" (
	"gtin" varchar(14) NOT NULL,
	"serial" varchar(20) NOT NULL,
	"lot" varchar(20),
	"expiry" date,
	"upload_id" uuid NOT NULL,
	"row" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "serial_items_gtin_serial_pk" PRIMARY KEY("gtin","serial")
);
--> statement-breakpoint
CREATE TABLE "upload_findings" (
	"upload_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"sheet" varchar(120) NOT NULL,
	"row" integer NOT NULL,
	"column" varchar(255),
	"code" varchar(60) NOT NULL,
	"severity" varchar(10) NOT NULL,
	"message" varchar(1000) NOT NULL,
	"value" varchar(1000),
	CONSTRAINT "upload_findings_upload_id_seq_pk" PRIMARY KEY("upload_id","seq"),
	CONSTRAINT "upload_findings_severity" CHECK ("upload_findings"."severity" IN ('error', 'warning', 'info'))
);
--> statement-breakpoint
CREATE TABLE "uploads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" varchar(20) NOT NULL,
	"filename" varchar(255) NOT NULL,
	"content_type" varchar(120) NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sniffed_type" varchar(120),
	"storage_key" varchar(512) NOT NULL,
	"owner_user_id" uuid,
	"owner_api_key_id" uuid,
	"owner_label" varchar(254) NOT NULL,
	"ticket_id" bigint,
	"comment_id" bigint,
	"rule_set_id" uuid,
	"dataset" varchar(80),
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"progress" real DEFAULT 0 NOT NULL,
	"error" jsonb,
	"summary" jsonb,
	"findings_count" integer DEFAULT 0 NOT NULL,
	"insights" text,
	"insights_source" varchar(120),
	"upload_expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"processed_at" timestamp with time zone,
	CONSTRAINT "uploads_storage_key_unique" UNIQUE("storage_key"),
	CONSTRAINT "uploads_kind" CHECK ("uploads"."kind" IN ('attachment', 'serials', 'compliance', 'employees')),
	CONSTRAINT "uploads_status" CHECK ("uploads"."status" IN ('pending', 'checking', 'processing', 'done', 'failed')),
	CONSTRAINT "uploads_progress" CHECK ("uploads"."progress" >= 0 AND "uploads"."progress" <= 1),
	CONSTRAINT "uploads_size" CHECK ("uploads"."size_bytes" > 0)
);
--> statement-breakpoint
ALTER TABLE "compliance_rule_sets" ADD CONSTRAINT "compliance_rule_sets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "serial_events" ADD CONSTRAINT "serial_events_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."uploads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "serial_items" ADD CONSTRAINT "serial_items_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."uploads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upload_findings" ADD CONSTRAINT "upload_findings_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."uploads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_owner_api_key_id_api_keys_id_fk" FOREIGN KEY ("owner_api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_comment_id_ticket_comments_id_fk" FOREIGN KEY ("comment_id") REFERENCES "public"."ticket_comments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_rule_set_id_compliance_rule_sets_id_fk" FOREIGN KEY ("rule_set_id") REFERENCES "public"."compliance_rule_sets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "serial_events_item_idx" ON "serial_events" USING btree ("gtin","serial","event_time");--> statement-breakpoint
CREATE INDEX "serial_events_upload_idx" ON "serial_events" USING btree ("upload_id");--> statement-breakpoint
CREATE INDEX "serial_items_upload_idx" ON "serial_items" USING btree ("upload_id");--> statement-breakpoint
CREATE INDEX "upload_findings_code_idx" ON "upload_findings" USING btree ("upload_id","code","seq");--> statement-breakpoint
CREATE INDEX "uploads_owner_idx" ON "uploads" USING btree ("owner_user_id","created_at");--> statement-breakpoint
CREATE INDEX "uploads_kind_idx" ON "uploads" USING btree ("kind","created_at");--> statement-breakpoint
CREATE INDEX "uploads_ticket_idx" ON "uploads" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "uploads_dataset_idx" ON "uploads" USING btree ("dataset","created_at");--> statement-breakpoint
-- GS1 keys are ASCII identifiers compared byte by byte: the "C" collation is exact for them and keeps
-- the registry's B-tree cheap on databases whose default collation is a locale (drizzle has no collate()).
ALTER TABLE "serial_items" ALTER COLUMN "gtin" TYPE varchar(14) COLLATE "C", ALTER COLUMN "serial" TYPE varchar(20) COLLATE "C";--> statement-breakpoint
ALTER TABLE "serial_events" ALTER COLUMN "gtin" TYPE varchar(14) COLLATE "C", ALTER COLUMN "serial" TYPE varchar(20) COLLATE "C";
