-- A privacy officer's review of a break-the-glass decision (issue 18): who reviewed it, when, the
-- verdict and a note. One review per decision; a review is final, so the table only grows: the
-- trigger below refuses UPDATE and DELETE, as the decision log itself is never rewritten. Retention
-- drops decision partitions, never reviews (a verdict outlives the row it judged).
CREATE TABLE IF NOT EXISTS audit.break_glass_review (
    review_id uuid PRIMARY KEY,
    -- The decision's key as decision_time indexes it: (decided_at, decision_id).
    decision_id uuid NOT NULL UNIQUE,
    decided_at timestamptz NOT NULL,
    reviewed_at timestamptz NOT NULL,
    -- The reviewer's API key, as the admin change log records actors: key:<name>/<id>.
    reviewer text NOT NULL,
    verdict text NOT NULL CHECK (verdict IN ('justified', 'unjustified')),
    note text NOT NULL CHECK (length(note) > 0)
);

-- QueryBreakGlassReviews: in review order, resumable by (reviewed_at, review_id).
CREATE INDEX IF NOT EXISTS break_glass_review_time ON audit.break_glass_review (reviewed_at, review_id);

CREATE OR REPLACE FUNCTION audit.refuse_review_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit.break_glass_review is append-only';
END
$$;

CREATE TRIGGER break_glass_review_append_only BEFORE UPDATE OR DELETE ON audit.break_glass_review
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_review_rewrite();
