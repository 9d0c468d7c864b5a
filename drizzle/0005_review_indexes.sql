CREATE INDEX "cases_created_at_index" ON "cases" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "cases_resolved_at_index" ON "cases" USING btree ("resolved_at");--> statement-breakpoint
CREATE INDEX "cases_open_index" ON "cases" USING btree ("community_id","compound_id","due_at") WHERE status NOT IN ('resolved', 'closed', 'duplicate', 'rejected') AND deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "cases_not_ours_index" ON "cases" USING btree ("updated_at") WHERE status IN ('duplicate', 'rejected') AND deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "observations_review_index" ON "observations" USING btree ("observed_at","community_id","compound_id","category") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "patrols_started_at_index" ON "patrols" USING btree ("started_at");