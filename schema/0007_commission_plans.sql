-- Tally ledger, migration 7: commission plans (issue 15, section 8 of the ledger rules). Frozen once released.

-- The plan fields of terms.set version 2, as recorded: NULL when the terms left the field out
-- (carried over); `cleared` lists, comma-separated, the fields given as `none`.
ALTER TABLE terms ADD COLUMN new_customer_ppm INTEGER;
ALTER TABLE terms ADD COLUMN lifetime_months  INTEGER;
ALTER TABLE terms ADD COLUMN lifetime_ppm     INTEGER;
ALTER TABLE terms ADD COLUMN tiers            TEXT;
ALTER TABLE terms ADD COLUMN tiers_apply      TEXT;
ALTER TABLE terms ADD COLUMN bonus_threshold  INTEGER;
ALTER TABLE terms ADD COLUMN bonus_minor      INTEGER;
ALTER TABLE terms ADD COLUMN retainer_minor   INTEGER;
ALTER TABLE terms ADD COLUMN cleared          TEXT;
