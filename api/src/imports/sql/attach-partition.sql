-- Swaps a filled partition in: PostgreSQL builds the parent's indexes on it in bulk (much cheaper
-- than row-by-row upkeep) and the rows become visible to everyone when the import commits. Writing
-- the partition directly bypasses the parent's statement triggers, so the tile cache is told here.
ALTER TABLE {{PARENT}} ATTACH PARTITION {{PARTITION}} FOR VALUES IN ({{DATASET_ID}});
INSERT INTO tile_change (source) VALUES ('{{PARENT}}');
