-- Tally ledger, migration 1: the fact log. Frozen once released; changes go in a new file.

-- What this file is: a marker that Tally checks on open, and the ledger's settings.
CREATE TABLE ledger_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Which migrations were applied, with the SHA-256 of the SQL that was run.
CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    sql_sha256 TEXT NOT NULL
) STRICT;

-- The append-only log. hash = SHA-256(previous hash || seq || type || version || effective_at
-- || recorded_at || payload); the first entry chains from 32 zero bytes.
CREATE TABLE facts (
    seq          INTEGER PRIMARY KEY,
    type         TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    effective_at INTEGER NOT NULL,   -- Unix seconds: business time
    recorded_at  INTEGER NOT NULL,   -- Unix seconds: when the ledger recorded it
    payload      TEXT    NOT NULL,   -- canonical JSON
    hash         BLOB    NOT NULL
) STRICT;

CREATE TRIGGER facts_are_append_only_update BEFORE UPDATE ON facts
BEGIN SELECT RAISE(ABORT, 'facts are append-only: corrections are new facts'); END;

CREATE TRIGGER facts_are_append_only_delete BEFORE DELETE ON facts
BEGIN SELECT RAISE(ABORT, 'facts are append-only: corrections are new facts'); END;
