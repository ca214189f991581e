-- The writer's chain head moves with the rows in the same statement: the writer sends one COPY in
-- autocommit (two round trips per batch instead of four with BEGIN/COPY/UPSERT/COMMIT), and the head
-- still cannot disagree with the rows it covers.
CREATE FUNCTION audit.move_writer_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit.writer AS w (writer_id, started_at, host, first_sequence, first_previous_hash, head_sequence, head_hash)
    SELECT DISTINCT ON (writer_id) writer_id, now(), current_setting('application_name'), 1, decode(repeat('00', 32), 'hex'), sequence, hash
    FROM new_rows
    ORDER BY writer_id, sequence DESC
    ON CONFLICT (writer_id) DO UPDATE SET head_sequence = excluded.head_sequence, head_hash = excluded.head_hash
    WHERE w.head_sequence < excluded.head_sequence;
    RETURN NULL;
END
$$;

CREATE TRIGGER decision_moves_writer_head AFTER INSERT ON audit.decision
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.move_writer_head();
