CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" uuid,
	"client_id" text,
	"request_id" text,
	"action" text NOT NULL,
	"collection" text,
	"record_id" text,
	"changes" jsonb
);
--> statement-breakpoint
CREATE TABLE "blobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"mime" text NOT NULL,
	"bytes" integer NOT NULL,
	"width" integer,
	"height" integer,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "buildings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"compound_id" uuid NOT NULL,
	"grid_id" uuid NOT NULL,
	"name" text NOT NULL,
	"units" integer DEFAULT 0 NOT NULL,
	"floors" integer DEFAULT 0 NOT NULL,
	"households" integer DEFAULT 0 NOT NULL,
	"footprint" jsonb,
	"point" jsonb NOT NULL,
	"sync_version" bigint NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"compound_id" uuid NOT NULL,
	"grid_id" uuid,
	"kind" text NOT NULL,
	"body" text,
	"from" text,
	"to" text,
	"photos" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"by" uuid NOT NULL,
	"sync_version" bigint NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"source" jsonb NOT NULL,
	"title" text NOT NULL,
	"category" text NOT NULL,
	"priority" text NOT NULL,
	"community_id" uuid NOT NULL,
	"compound_id" uuid NOT NULL,
	"grid_id" uuid,
	"status" text NOT NULL,
	"assignee_id" uuid,
	"team_id" uuid,
	"duplicate_of" uuid,
	"due_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	"satisfaction" smallint,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"sync_version" bigint NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "checklist_templates" (
	"id" uuid NOT NULL,
	"version" integer NOT NULL,
	"title" jsonb NOT NULL,
	"items" jsonb NOT NULL,
	"sync_version" bigint NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "checklist_templates_id_version_pk" PRIMARY KEY("id","version")
);
--> statement-breakpoint
CREATE TABLE "communities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"code" text NOT NULL,
	"sync_version" bigint NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "communities_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "compounds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"name" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"households" integer DEFAULT 0 NOT NULL,
	"boundary" jsonb,
	"centroid" jsonb NOT NULL,
	"sync_version" bigint NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "feedback" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"topic" text NOT NULL,
	"channel" text NOT NULL,
	"text" text NOT NULL,
	"resident" jsonb,
	"consent_to_contact" boolean DEFAULT false NOT NULL,
	"community_id" uuid NOT NULL,
	"compound_id" uuid NOT NULL,
	"grid_id" uuid,
	"building_id" uuid,
	"received_at" timestamp with time zone NOT NULL,
	"by" uuid NOT NULL,
	"sync_version" bigint NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "grids" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"compound_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"name" text NOT NULL,
	"boundary" jsonb NOT NULL,
	"leader_user_id" uuid,
	"sync_version" bigint NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "login_failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "observations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"category" text NOT NULL,
	"subtype" text NOT NULL,
	"severity" text NOT NULL,
	"location" jsonb NOT NULL,
	"community_id" uuid NOT NULL,
	"compound_id" uuid NOT NULL,
	"grid_id" uuid,
	"building_id" uuid,
	"note" text DEFAULT '' NOT NULL,
	"photos" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"resolved_on_spot" boolean DEFAULT false NOT NULL,
	"patrol_id" uuid,
	"by" uuid NOT NULL,
	"sync_version" bigint NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "patrols" (
	"id" uuid PRIMARY KEY NOT NULL,
	"template_id" uuid NOT NULL,
	"template_version" integer NOT NULL,
	"community_id" uuid NOT NULL,
	"compound_id" uuid NOT NULL,
	"grid_id" uuid,
	"team_id" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"answers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"track" jsonb,
	"status" text NOT NULL,
	"by" uuid NOT NULL,
	"sync_version" bigint NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"user_agent" text,
	"ip" text
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"compound_id" uuid NOT NULL,
	"grid_id" uuid,
	"month" text NOT NULL,
	"scores" jsonb NOT NULL,
	"overall" smallint NOT NULL,
	"by" uuid NOT NULL,
	"sync_version" bigint NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sync_clients" (
	"client_id" text PRIMARY KEY NOT NULL,
	"client_group_id" text NOT NULL,
	"user_id" uuid NOT NULL,
	"last_mutation_id" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_counter" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"value" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"community_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sync_version" bigint NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"team_id" uuid,
	"grid_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"community_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sync_version" bigint NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"compound_id" uuid NOT NULL,
	"grid_id" uuid,
	"building_id" uuid NOT NULL,
	"unit" text,
	"purpose" text NOT NULL,
	"summary" text NOT NULL,
	"residents_met" integer DEFAULT 0 NOT NULL,
	"needs_follow_up" boolean DEFAULT false NOT NULL,
	"location" jsonb,
	"visited_at" timestamp with time zone NOT NULL,
	"by" uuid NOT NULL,
	"sync_version" bigint NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "audit_log_at_index" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_user_id_index" ON "audit_log" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "audit_log_collection_record_id_index" ON "audit_log" USING btree ("collection","record_id");--> statement-breakpoint
CREATE INDEX "buildings_compound_id_index" ON "buildings" USING btree ("compound_id");--> statement-breakpoint
CREATE INDEX "buildings_grid_id_index" ON "buildings" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "buildings_sync_version_index" ON "buildings" USING btree ("sync_version");--> statement-breakpoint
CREATE INDEX "case_events_case_id_index" ON "case_events" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_events_sync_version_index" ON "case_events" USING btree ("sync_version");--> statement-breakpoint
CREATE INDEX "cases_compound_id_status_index" ON "cases" USING btree ("compound_id","status");--> statement-breakpoint
CREATE INDEX "cases_assignee_id_index" ON "cases" USING btree ("assignee_id");--> statement-breakpoint
CREATE INDEX "cases_due_at_index" ON "cases" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "cases_sync_version_index" ON "cases" USING btree ("sync_version");--> statement-breakpoint
CREATE INDEX "checklist_templates_sync_version_index" ON "checklist_templates" USING btree ("sync_version");--> statement-breakpoint
CREATE INDEX "communities_sync_version_index" ON "communities" USING btree ("sync_version");--> statement-breakpoint
CREATE INDEX "compounds_community_id_index" ON "compounds" USING btree ("community_id");--> statement-breakpoint
CREATE INDEX "compounds_sync_version_index" ON "compounds" USING btree ("sync_version");--> statement-breakpoint
CREATE INDEX "feedback_compound_id_index" ON "feedback" USING btree ("compound_id");--> statement-breakpoint
CREATE INDEX "feedback_by_index" ON "feedback" USING btree ("by");--> statement-breakpoint
CREATE INDEX "feedback_sync_version_index" ON "feedback" USING btree ("sync_version");--> statement-breakpoint
CREATE INDEX "grids_community_id_index" ON "grids" USING btree ("community_id");--> statement-breakpoint
CREATE INDEX "grids_sync_version_index" ON "grids" USING btree ("sync_version");--> statement-breakpoint
CREATE INDEX "login_failures_key_at_index" ON "login_failures" USING btree ("key","at");--> statement-breakpoint
CREATE INDEX "observations_compound_id_index" ON "observations" USING btree ("compound_id");--> statement-breakpoint
CREATE INDEX "observations_by_index" ON "observations" USING btree ("by");--> statement-breakpoint
CREATE INDEX "observations_observed_at_index" ON "observations" USING btree ("observed_at");--> statement-breakpoint
CREATE INDEX "observations_sync_version_index" ON "observations" USING btree ("sync_version");--> statement-breakpoint
CREATE INDEX "patrols_compound_id_index" ON "patrols" USING btree ("compound_id");--> statement-breakpoint
CREATE INDEX "patrols_by_index" ON "patrols" USING btree ("by");--> statement-breakpoint
CREATE INDEX "patrols_sync_version_index" ON "patrols" USING btree ("sync_version");--> statement-breakpoint
CREATE INDEX "sessions_user_id_index" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "surveys_compound_id_month_index" ON "surveys" USING btree ("compound_id","month");--> statement-breakpoint
CREATE INDEX "surveys_sync_version_index" ON "surveys" USING btree ("sync_version");--> statement-breakpoint
CREATE INDEX "teams_sync_version_index" ON "teams" USING btree ("sync_version");--> statement-breakpoint
CREATE INDEX "users_sync_version_index" ON "users" USING btree ("sync_version");--> statement-breakpoint
CREATE INDEX "visits_grid_id_index" ON "visits" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "visits_by_index" ON "visits" USING btree ("by");--> statement-breakpoint
CREATE INDEX "visits_sync_version_index" ON "visits" USING btree ("sync_version");