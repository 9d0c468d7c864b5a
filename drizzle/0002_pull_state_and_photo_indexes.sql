CREATE TABLE "sync_client_groups" (
	"client_group_id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"scope_hash" text NOT NULL,
	"load_version" bigint NOT NULL,
	"reset_from" bigint,
	"last_pull_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_horizon" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"purged_through" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "case_events_photos_index" ON "case_events" USING gin ("photos" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "observations_photos_index" ON "observations" USING gin ("photos" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "patrols_answers_index" ON "patrols" USING gin ("answers" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "sync_clients_client_group_id_index" ON "sync_clients" USING btree ("client_group_id");--> statement-breakpoint
INSERT INTO "sync_horizon" ("id", "purged_through") VALUES (1, 0) ON CONFLICT DO NOTHING;
