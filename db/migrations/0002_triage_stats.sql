CREATE TABLE "triage_daily" (
	"day" date NOT NULL,
	"provider" varchar(40) NOT NULL,
	"decisions" integer NOT NULL,
	"fallbacks" integer NOT NULL,
	"prompt_tokens" bigint NOT NULL,
	"completion_tokens" bigint NOT NULL,
	"cost_usd" numeric(14, 6) NOT NULL,
	CONSTRAINT "triage_daily_day_provider_pk" PRIMARY KEY("day","provider")
);
--> statement-breakpoint
CREATE TABLE "triage_daily_deltas" (
	"day" date NOT NULL,
	"provider" varchar(40) NOT NULL,
	"decisions" integer NOT NULL,
	"fallbacks" integer NOT NULL,
	"prompt_tokens" bigint NOT NULL,
	"completion_tokens" bigint NOT NULL,
	"cost_usd" numeric(14, 6) NOT NULL
);
--> statement-breakpoint
CREATE INDEX "triage_decisions_reviewed_idx" ON "triage_decisions" USING btree ("reviewed_at" DESC NULLS LAST) WHERE "triage_decisions"."reviewed_at" IS NOT NULL;