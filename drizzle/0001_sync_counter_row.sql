INSERT INTO sync_counter (id, value) VALUES (1, 0) ON CONFLICT DO NOTHING;
