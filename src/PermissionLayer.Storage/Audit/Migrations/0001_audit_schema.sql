-- The audit log: its own schema, apart from the entitlement model (PermissionLayerDbContext).
CREATE SCHEMA IF NOT EXISTS audit;

-- One row per writer (one per server process start): the head of its hash chain, moved in the same
-- transaction as the rows, so that a truncated tail is detectable.
CREATE TABLE audit.writer (
    writer_id uuid PRIMARY KEY,
    started_at timestamptz NOT NULL,
    host text NOT NULL,
    -- The first sequence still retained and the hash it links to (advanced by retention).
    first_sequence bigint NOT NULL,
    first_previous_hash bytea NOT NULL,
    head_sequence bigint NOT NULL,
    head_hash bytea NOT NULL
);

-- Every decision. Monthly range partitions on decided_at: time-bounded queries prune to a few
-- partitions, and retention drops whole partitions instead of deleting rows.
CREATE TABLE audit.decision (
    decided_at timestamptz NOT NULL,
    decision_id uuid NOT NULL,
    writer_id uuid NOT NULL,
    sequence bigint NOT NULL,
    caller text NOT NULL,
    client_id text NOT NULL,
    fhir_user text,
    user_organization text,
    patients text[] NOT NULL,
    interaction text NOT NULL,
    resource_type text NOT NULL,
    resource_id text,
    purpose_of_use text,
    break_glass boolean NOT NULL,
    break_glass_reason text,
    jti text,
    outcome text NOT NULL,
    deciding_term text,
    -- JSON as text, not jsonb: jsonb rewrites the text and the chain hash covers the exact bytes.
    reasons text NOT NULL,
    consents text[] NOT NULL,
    revision bigint NOT NULL,
    latency_us bigint NOT NULL,
    previous_hash bytea NOT NULL,
    hash bytea NOT NULL,
    PRIMARY KEY (writer_id, sequence, decided_at)
) PARTITION BY RANGE (decided_at);

-- The privacy officer's queries (AUDIT.md): each is "filter + time range, in time order".
CREATE INDEX decision_time ON audit.decision (decided_at, decision_id);
CREATE INDEX decision_patients ON audit.decision USING gin (patients);
CREATE INDEX decision_user ON audit.decision (fhir_user, decided_at);
CREATE INDEX decision_client ON audit.decision (client_id, decided_at);
CREATE INDEX decision_denies ON audit.decision (decided_at) WHERE outcome = 'deny';
CREATE INDEX decision_break_glass ON audit.decision (decided_at) WHERE break_glass;
CREATE INDEX decision_id ON audit.decision (decision_id);

