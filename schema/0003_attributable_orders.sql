-- The orders a creator can be credited with: those with a discount code or a referral value
-- (ledger rules §4). Payout preview/close and ROI read only these (SnapshotLoader.swift, whose
-- WHERE clause must stay exactly this one for SQLite to use the index); without the index SQLite
-- visits every order to find them.
CREATE INDEX orders_attributable ON orders (source, order_id) WHERE codes <> '[]' OR referral IS NOT NULL;
