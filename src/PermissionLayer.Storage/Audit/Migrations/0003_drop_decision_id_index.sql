-- Every audit row updated every index of the hot partition while callers waited for the commit.
-- No query of the audit API looks a decision up by its id alone: a lookup that needs one gives the
-- time as well and uses decision_time (decided_at, decision_id). One index fewer per row written.
DROP INDEX IF EXISTS audit.decision_id;
