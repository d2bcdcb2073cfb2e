CREATE TABLE "category_examples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"category_slug" varchar(40) NOT NULL,
	"title" varchar(200) DEFAULT '' NOT NULL,
	"description" text NOT NULL,
	"created_by_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "triage_decisions" ADD COLUMN "priority_source" varchar(10) DEFAULT 'rules' NOT NULL;--> statement-breakpoint
ALTER TABLE "category_examples" ADD CONSTRAINT "category_examples_category_slug_categories_slug_fk" FOREIGN KEY ("category_slug") REFERENCES "public"."categories"("slug") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "category_examples_category_idx" ON "category_examples" USING btree ("category_slug");