-- Tally ledger, migration 6: undoing an order import (issue 13). Frozen once released.

-- Undoing an order import (ledger rules §3, `tally import undo`). The same bytes may now be
-- imported more than once (after an undo, or stated at another --as-of): `imports` gets one row per
-- `import.recorded` fact, keyed by its seq, and keeps the rows of undone imports (they bound the
-- next import's order facts and `tally imports` lists them).
CREATE TABLE imports_by_seq (
    sha256    TEXT NOT NULL,
    source    TEXT NOT NULL,
    file_name TEXT NOT NULL,
    as_of     INTEGER NOT NULL,
    counts    TEXT NOT NULL,
    seq       INTEGER PRIMARY KEY
) STRICT;
INSERT INTO imports_by_seq (sha256, source, file_name, as_of, counts, seq)
    SELECT sha256, source, file_name, as_of, counts, seq FROM imports;
DROP TABLE imports;
ALTER TABLE imports_by_seq RENAME TO imports;
CREATE INDEX imports_by_sha256 ON imports (sha256);

-- One row per `import.undone` fact (its field table's columns).
CREATE TABLE import_undos (
    import_seq INTEGER PRIMARY KEY,
    source     TEXT NOT NULL,
    file_name  TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    at         INTEGER NOT NULL,
    seq        INTEGER NOT NULL
) STRICT;
