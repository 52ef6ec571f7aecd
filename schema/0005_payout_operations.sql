-- Tally ledger, migration 5: paying a closed month (issue 14). Frozen once released.

-- The day each payout left and how (payout.paid version 2). The payouts marked paid before this
-- migration (version 1, with neither) get theirs right after it, as the projector gives them:
-- the day recorded, in the ledger's zone, and the creator's payout method at that time, else other
-- (LedgerStore/Migrations.swift). Never NULL once migrated.
ALTER TABLE payouts_paid ADD COLUMN paid_on TEXT;
ALTER TABLE payouts_paid ADD COLUMN method  TEXT;

-- What an order line's amount comes from (statement.issued version 2): the commissionable base,
-- the rate and the fixed part applied, and for a line correcting an earlier one what changed.
-- NULL on the lines of statements frozen before.
ALTER TABLE statement_lines ADD COLUMN base_minor      INTEGER;
ALTER TABLE statement_lines ADD COLUMN rate_ppm        INTEGER;
ALTER TABLE statement_lines ADD COLUMN per_order_minor INTEGER;
ALTER TABLE statement_lines ADD COLUMN change          TEXT;

-- Every payment file written (payout.exported), and whether the close it was written for was
-- reopened since (set by month.reopened).
CREATE TABLE payout_exports (
    seq         INTEGER PRIMARY KEY,
    month       TEXT NOT NULL,
    format      TEXT NOT NULL,
    file        TEXT NOT NULL,
    creators    TEXT NOT NULL,     -- JSON array of creator ids
    total_minor INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    reopened    INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Every reopening (month.reopened). The reopened month's rows leave statements, statement_lines
-- and closed_months: its close no longer counts (the log keeps it).
CREATE TABLE month_reopenings (
    seq    INTEGER PRIMARY KEY,
    month  TEXT NOT NULL,
    reason TEXT NOT NULL,
    at     INTEGER NOT NULL
) STRICT;
