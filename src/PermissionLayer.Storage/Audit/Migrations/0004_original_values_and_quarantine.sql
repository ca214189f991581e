-- A value PostgreSQL cannot store as it is (a NUL byte, a lone surrogate) or that is too long for an
-- index entry is stored escaped or cut with a hash (AuditRowBounds); its exact value goes here, a
-- column without an index. NULL on every other row. The chain hash covers it.
ALTER TABLE audit.decision ADD COLUMN IF NOT EXISTS original_values text;

-- Records the audit log could not write into a chain: a row PostgreSQL refused even after bounding
-- (written alone, so it failed nobody else's commit), or a spill-file line that could not be read
-- back. Kept with the error for a privacy officer; never part of a hash chain (after_sequence says
-- where in its writer's chain it would have gone). Every text here is escaped, so it is always storable.
CREATE TABLE IF NOT EXISTS audit.quarantine (
    quarantined_at timestamptz NOT NULL DEFAULT now(),
    decision_id uuid,
    decided_at timestamptz,
    writer_id uuid,
    after_sequence bigint,
    source text NOT NULL,
    error text NOT NULL,
    record text NOT NULL
);
