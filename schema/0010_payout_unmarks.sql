-- Tally ledger, migration 10: the marks of payouts taken back (payout.unmarked). Frozen once released.

-- Every `payout unmark-paid`: the mark leaves payouts_paid, and is kept here with the reference it
-- had and why. A reopen of a month with a mark taken back, and a mark made again with the reference
-- taken back, are asked about (docs/payouts.md).
CREATE TABLE payout_unmarks (
    seq       INTEGER PRIMARY KEY,
    month     TEXT NOT NULL,
    creator   TEXT NOT NULL,
    reference TEXT NOT NULL,
    reason    TEXT NOT NULL,
    at        INTEGER NOT NULL
) STRICT;
