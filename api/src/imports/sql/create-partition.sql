-- A plain table for one dataset's features, shaped like its parent ({{PARENT}}: subject or
-- constraint_feature) with the parent's CHECKs. Filled without any index to maintain, then attached
-- (attach-partition.sql). The CHECK on dataset_id lets ATTACH skip scanning the rows to prove the
-- partition bound. {{PARTITION}} and {{DATASET_ID}} come from partitionFor(): an allow-listed parent
-- and an integer id, never user text.
CREATE TABLE {{PARTITION}} (
  LIKE {{PARENT}} INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
  CONSTRAINT {{PARTITION}}_dataset_check CHECK (dataset_id = {{DATASET_ID}})
)
