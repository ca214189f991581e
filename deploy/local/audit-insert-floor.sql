-- How cheap can PostgreSQL make one audit row? Copies 40,000 real rows of audit.decision (run after
-- deploy/local/bench.sh, whose database holds them) into scratch tables with none, each one, and all
-- of the audit indexes, three times each (the best pass counts), in one backend, and prints microseconds per row. The figure is a
-- floor for PostgreSQL's CPU per audited decision: the live path adds COPY parsing, commits, the
-- chain-head trigger and autovacuum. Usage:
--   PL_PG_DIR=$PWD/.local/postgres-bench deploy/local/postgres.sh start
--   psql "host=127.0.0.1 port=$(cat .local/postgres-bench/port) user=postgres dbname=bench" -f deploy/local/audit-insert-floor.sql
--   PL_PG_DIR=$PWD/.local/postgres-bench deploy/local/postgres.sh stop
\set QUIET on
CREATE TEMP TABLE floor_source AS SELECT * FROM audit.decision LIMIT 40000;
CREATE TEMP TABLE floor_result (variant text, microseconds_per_row numeric);
DO $$
DECLARE
    variants text[][] := ARRAY[
        ['no index', ''],
        ['primary key', 'ALTER TABLE floor_target ADD PRIMARY KEY (writer_id, sequence, decided_at)'],
        ['time index', 'CREATE INDEX ON floor_target (decided_at, decision_id)'],
        ['patients (gin)', 'CREATE INDEX ON floor_target USING gin (patients)'],
        ['user index', 'CREATE INDEX ON floor_target (fhir_user, decided_at)'],
        ['client index', 'CREATE INDEX ON floor_target (client_id, decided_at)'],
        ['all six', 'ALTER TABLE floor_target ADD PRIMARY KEY (writer_id, sequence, decided_at);
                     CREATE INDEX ON floor_target (decided_at, decision_id);
                     CREATE INDEX ON floor_target USING gin (patients);
                     CREATE INDEX ON floor_target (fhir_user, decided_at);
                     CREATE INDEX ON floor_target (client_id, decided_at);
                     CREATE INDEX ON floor_target (decided_at) WHERE outcome = ''deny'';
                     CREATE INDEX ON floor_target (decided_at) WHERE break_glass']];
    rows bigint := (SELECT count(*) FROM floor_source);
    started timestamptz;
    best numeric;
BEGIN
    IF rows = 0 THEN
        RAISE EXCEPTION 'audit.decision is empty: run deploy/local/bench.sh first';
    END IF;
    -- Warm-up, not counted: the first bulk insert of a session also pays for WAL segments and buffers.
    CREATE TABLE floor_target (LIKE audit.decision);
    INSERT INTO floor_target SELECT * FROM floor_source;
    DROP TABLE floor_target;
    FOR i IN 1 .. array_length(variants, 1) LOOP
        CREATE TABLE floor_target (LIKE audit.decision);
        IF variants[i][2] <> '' THEN
            EXECUTE variants[i][2];
        END IF;
        best := NULL;
        FOR pass IN 1 .. 3 LOOP
            started := clock_timestamp();
            -- One writer, rising sequence and time: the order the audit writer inserts in.
            INSERT INTO floor_target
            SELECT now() + (n || ' microseconds')::interval, gen_random_uuid(), '01a21721-b70a-7a10-96ec-8f7c4af8655b', n,
                   caller, client_id, fhir_user, user_organization, patients, interaction, resource_type, resource_id,
                   purpose_of_use, break_glass, break_glass_reason, jti, outcome, deciding_term, reasons, consents,
                   revision, latency_us, previous_hash, hash
            FROM (SELECT row_number() OVER () + (pass - 1) * rows AS n, * FROM floor_source) s;
            best := least(coalesce(best, 1e12), extract(epoch FROM clock_timestamp() - started) * 1e6 / rows);
        END LOOP;
        INSERT INTO floor_result VALUES (variants[i][1], round(best, 1));
        DROP TABLE floor_target;
    END LOOP;
END $$;
\set QUIET off
SELECT variant, microseconds_per_row, (SELECT round(avg(pg_column_size(s.*))) FROM floor_source s) AS bytes_per_row FROM floor_result;
