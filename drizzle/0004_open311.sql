CREATE TABLE "open311_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "open311_keys_keyHash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "open311_requests" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"feedback_id" uuid NOT NULL,
	"service_code" text NOT NULL,
	"client" text NOT NULL,
	"address_string" text,
	"requested_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "open311_requests_requested_at_index" ON "open311_requests" USING btree ("requested_at");