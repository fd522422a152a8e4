-- Serialises imports of the same layer (kind, name) until this transaction ends.
SELECT pg_advisory_xact_lock(hashtext($1 || '/' || $2))
