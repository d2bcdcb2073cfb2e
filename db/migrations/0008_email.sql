CREATE TABLE "inbound_messages" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "inbound_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"message_id" varchar(998) NOT NULL,
	"source" varchar(200) NOT NULL,
	"from_address" varchar(254),
	"subject" varchar(998),
	"status" varchar(20) NOT NULL,
	"action" varchar(20),
	"reason" varchar(500),
	"error" text,
	"ticket_id" bigint,
	"comment_id" bigint,
	"raw" "bytea" NOT NULL,
	"size_bytes" integer NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "inbound_messages_message_id_unique" UNIQUE("message_id"),
	CONSTRAINT "inbound_messages_status" CHECK (status IN ('received', 'processed', 'ignored', 'bounced', 'rate_limited', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "mail_preferences" (
	"email" varchar(254) NOT NULL,
	"kind" varchar(40) NOT NULL,
	"enabled" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mail_preferences_email_kind_pk" PRIMARY KEY("email","kind"),
	CONSTRAINT "mail_preferences_email_lower" CHECK ("mail_preferences"."email" = lower("mail_preferences"."email"))
);
--> statement-breakpoint
CREATE TABLE "mailbox_leases" (
	"key" varchar(100) PRIMARY KEY NOT NULL,
	"owner" varchar(100) NOT NULL,
	"until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mailboxes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(80) NOT NULL,
	"host" varchar(253) NOT NULL,
	"port" integer DEFAULT 993 NOT NULL,
	"secure" boolean DEFAULT true NOT NULL,
	"username" varchar(254) NOT NULL,
	"password_ciphertext" text NOT NULL,
	"folder" varchar(200) DEFAULT 'INBOX' NOT NULL,
	"processed_action" varchar(10) DEFAULT 'flag' NOT NULL,
	"move_to" varchar(200),
	"active" boolean DEFAULT true NOT NULL,
	"last_polled_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mailboxes_name_unique" UNIQUE("name"),
	CONSTRAINT "mailboxes_action" CHECK (processed_action IN ('flag', 'move')),
	CONSTRAINT "mailboxes_move_to" CHECK (processed_action <> 'move' OR move_to IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "ticket_watchers" (
	"ticket_id" bigint NOT NULL,
	"email" varchar(254) NOT NULL,
	"added_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_watchers_ticket_id_email_pk" PRIMARY KEY("ticket_id","email"),
	CONSTRAINT "ticket_watchers_email_lower" CHECK ("ticket_watchers"."email" = lower("ticket_watchers"."email") AND position('@' in "ticket_watchers"."email") > 1)
);
--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "kind" varchar(40) DEFAULT 'system' NOT NULL;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "status" varchar(20) DEFAULT 'outbox' NOT NULL;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "message_id" varchar(300);--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "in_reply_to" varchar(998);--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "references_header" text;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "headers" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_watchers" ADD CONSTRAINT "ticket_watchers_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_watchers" ADD CONSTRAINT "ticket_watchers_added_by_id_users_id_fk" FOREIGN KEY ("added_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbound_messages_received_idx" ON "inbound_messages" USING btree ("received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "inbound_messages_ticket_idx" ON "inbound_messages" USING btree ("ticket_id") WHERE "inbound_messages"."ticket_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "inbound_messages_from_idx" ON "inbound_messages" USING btree ("from_address","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "mail_outbox_message_id_idx" ON "mail_outbox" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "mail_outbox_ticket_idx" ON "mail_outbox" USING btree ("ticket_id","created_at");