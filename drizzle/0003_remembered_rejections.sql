CREATE TABLE "sync_rejections" (
	"client_id" text NOT NULL,
	"mutation_id" bigint NOT NULL,
	"code" text NOT NULL,
	"message" text NOT NULL,
	"current" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_rejections_client_id_mutation_id_pk" PRIMARY KEY("client_id","mutation_id")
);
--> statement-breakpoint
CREATE INDEX "sync_rejections_at_index" ON "sync_rejections" USING btree ("at");