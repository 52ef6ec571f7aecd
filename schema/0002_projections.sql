-- Tally ledger, migration 2: projections. A cache of the fact log: `tally rebuild` recomputes
-- every table below from the facts, and `tally verify` checks that they agree.

CREATE TABLE creators (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    email_hash     TEXT,
    followers      TEXT NOT NULL,     -- canonical JSON object platform -> count
    payout_method  TEXT,
    payout_account TEXT,
    registered_seq INTEGER NOT NULL
) STRICT;

-- Every assignment as recorded; the effective end is the earlier of valid_until and the next
-- assignment's valid_from (computed by the core, not stored).
CREATE TABLE code_assignments (
    seq         INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,        -- trimmed, upper-cased
    creator     TEXT NOT NULL,
    valid_from  INTEGER NOT NULL,
    valid_until INTEGER
) STRICT;
CREATE INDEX code_assignments_by_code ON code_assignments (code, valid_from, seq);

CREATE TABLE house_codes (
    code TEXT PRIMARY KEY,
    seq  INTEGER NOT NULL
) STRICT;

CREATE TABLE referral_assignments (
    seq         INTEGER PRIMARY KEY,
    value       TEXT NOT NULL,
    creator     TEXT NOT NULL,
    valid_from  INTEGER NOT NULL,
    valid_until INTEGER
) STRICT;
CREATE INDEX referral_assignments_by_value ON referral_assignments (value, valid_from, seq);

-- Terms as recorded (NULL: carried over from the terms in force before).
CREATE TABLE terms (
    seq              INTEGER PRIMARY KEY,
    creator          TEXT NOT NULL,
    effective_from   INTEGER NOT NULL,
    commission_ppm   INTEGER,
    per_order_minor  INTEGER,
    holdback_days    INTEGER,
    min_payout_minor INTEGER
) STRICT;
CREATE INDEX terms_by_creator ON terms (creator, effective_from, seq);

CREATE TABLE posts (
    id           TEXT PRIMARY KEY,
    creator      TEXT NOT NULL,
    date         TEXT NOT NULL,
    effective_at INTEGER NOT NULL,
    platform     TEXT NOT NULL,
    fee_minor    INTEGER NOT NULL,
    url          TEXT,
    impressions  INTEGER,
    engagements  INTEGER,
    seq          INTEGER NOT NULL
) STRICT;

CREATE TABLE gifts (
    id           TEXT PRIMARY KEY,
    creator      TEXT NOT NULL,
    date         TEXT NOT NULL,
    effective_at INTEGER NOT NULL,
    value_minor  INTEGER NOT NULL,
    note         TEXT,
    seq          INTEGER NOT NULL
) STRICT;

CREATE TABLE adjustments (
    id           TEXT PRIMARY KEY,
    creator      TEXT NOT NULL,
    date         TEXT NOT NULL,
    effective_at INTEGER NOT NULL,
    amount_minor INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    seq          INTEGER NOT NULL
) STRICT;

CREATE TABLE fx_rates (
    currency     TEXT NOT NULL,
    date         TEXT NOT NULL,
    effective_at INTEGER NOT NULL,
    rate_e10     INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    PRIMARY KEY (currency, date)
) STRICT;

-- One row per order: the state its first export showed (seen_*) and its current state.
CREATE TABLE orders (
    source                TEXT NOT NULL,
    order_id              TEXT NOT NULL,
    name                  TEXT,
    created_at            INTEGER NOT NULL,
    created_offset        INTEGER NOT NULL,
    currency              TEXT NOT NULL,
    subtotal_minor        INTEGER NOT NULL,
    discount_minor        INTEGER NOT NULL,
    shipping_minor        INTEGER NOT NULL,
    taxes_minor           INTEGER NOT NULL,
    total_minor           INTEGER NOT NULL,
    codes                 TEXT NOT NULL,   -- JSON array, as listed by the shop
    referral              TEXT,
    email_hash            TEXT,
    seen_status           TEXT NOT NULL,
    seen_refunded_minor   INTEGER NOT NULL,
    seen_cancelled_at     INTEGER,
    seen_cancelled_offset INTEGER,
    status                TEXT NOT NULL,
    refunded_minor        INTEGER NOT NULL,
    cancelled_at          INTEGER,
    cancelled_offset      INTEGER,
    test                  INTEGER NOT NULL,
    as_of                 INTEGER NOT NULL, -- as-of of the newest export that showed the order
    seen_seq              INTEGER NOT NULL,
    PRIMARY KEY (source, order_id)
) STRICT;

-- The changes of each order, in log order: only the changed fields are set.
CREATE TABLE order_changes (
    seq              INTEGER PRIMARY KEY,
    source           TEXT NOT NULL,
    order_id         TEXT NOT NULL,
    effective_at     INTEGER NOT NULL,
    status           TEXT,
    refunded_minor   INTEGER,
    cancel_change    INTEGER NOT NULL,  -- 0 unchanged, 1 cancelled at cancelled_at, 2 cancellation lifted
    cancelled_at     INTEGER,
    cancelled_offset INTEGER
) STRICT;
CREATE INDEX order_changes_by_order ON order_changes (source, order_id, seq);

CREATE TABLE imports (
    sha256    TEXT PRIMARY KEY,
    source    TEXT NOT NULL,
    file_name TEXT NOT NULL,
    as_of     INTEGER NOT NULL,
    counts    TEXT NOT NULL,
    seq       INTEGER NOT NULL
) STRICT;

CREATE TABLE statements (
    month             TEXT NOT NULL,
    creator           TEXT NOT NULL,
    currency          TEXT NOT NULL,
    carried_in_minor  INTEGER NOT NULL,
    commissions_minor INTEGER NOT NULL,
    clawbacks_minor   INTEGER NOT NULL,
    fees_minor        INTEGER NOT NULL,
    adjustments_minor INTEGER NOT NULL,
    balance_minor     INTEGER NOT NULL,
    payout_minor      INTEGER NOT NULL,
    carried_out_minor INTEGER NOT NULL,
    min_payout_minor  INTEGER NOT NULL,
    seq               INTEGER NOT NULL,
    PRIMARY KEY (month, creator)
) STRICT;

CREATE TABLE statement_lines (
    month        TEXT NOT NULL,
    creator      TEXT NOT NULL,
    line_no      INTEGER NOT NULL,
    kind         TEXT NOT NULL,     -- commission, clawback, fee, adjustment
    ref          TEXT NOT NULL,     -- source:order_id, post id or adjustment id
    date         TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,  -- signed effect on the balance
    PRIMARY KEY (month, creator, line_no)
) STRICT;
CREATE INDEX statement_lines_by_ref ON statement_lines (ref, creator);

CREATE TABLE closed_months (
    month              TEXT PRIMARY KEY,
    statements         INTEGER NOT NULL,
    payout_total_minor INTEGER NOT NULL,
    seq                INTEGER NOT NULL
) STRICT;

CREATE TABLE payouts_paid (
    month        TEXT NOT NULL,
    creator      TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    reference    TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    PRIMARY KEY (month, creator)
) STRICT;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    seq   INTEGER NOT NULL
) STRICT;
