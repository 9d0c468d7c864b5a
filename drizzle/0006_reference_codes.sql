ALTER TABLE "buildings" ADD COLUMN "code" text;--> statement-breakpoint
ALTER TABLE "compounds" ADD COLUMN "code" text;--> statement-breakpoint
ALTER TABLE "grids" ADD COLUMN "code" text;--> statement-breakpoint
-- Rows made before codes existed get one, so that a later import can update them by it.
UPDATE "compounds" SET "code" = numbered."code" FROM (SELECT c."id", m."code" || lpad((row_number() OVER (PARTITION BY c."community_id" ORDER BY c."id"))::text, 3, '0') AS "code" FROM "compounds" c JOIN "communities" m ON m."id" = c."community_id") numbered WHERE "compounds"."id" = numbered."id";--> statement-breakpoint
UPDATE "grids" SET "code" = numbered."code" FROM (SELECT "id", 'W' || lpad((row_number() OVER (PARTITION BY "community_id" ORDER BY "id"))::text, 2, '0') AS "code" FROM "grids") numbered WHERE "grids"."id" = numbered."id";--> statement-breakpoint
UPDATE "buildings" SET "code" = numbered."code" FROM (SELECT "id", (row_number() OVER (PARTITION BY "compound_id" ORDER BY "id"))::text AS "code" FROM "buildings") numbered WHERE "buildings"."id" = numbered."id";--> statement-breakpoint
CREATE UNIQUE INDEX "buildings_compound_id_code_index" ON "buildings" USING btree ("compound_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "compounds_community_id_code_index" ON "compounds" USING btree ("community_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "grids_community_id_code_index" ON "grids" USING btree ("community_id","code");--> statement-breakpoint
DROP INDEX "audit_log_at_index";--> statement-breakpoint
CREATE INDEX "audit_log_at_id_index" ON "audit_log" USING btree ("at","id");