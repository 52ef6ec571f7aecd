-- Tally ledger, migration 9: the journals written for the books (journal.exported). Frozen once released.

-- Every `journal --output` written, and whether the close whose journal it holds was reopened since
-- (set by month.reopened): a reopen names the journals of the close it takes back, which may be in
-- QuickBooks or Xero already.
CREATE TABLE journal_exports (
    seq          INTEGER PRIMARY KEY,
    month        TEXT NOT NULL,
    format       TEXT NOT NULL,
    files        TEXT NOT NULL,     -- JSON array of the paths as given
    journals     TEXT NOT NULL,     -- JSON array of the journal numbers in them
    debits_minor INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    reopened     INTEGER NOT NULL DEFAULT 0
) STRICT;
