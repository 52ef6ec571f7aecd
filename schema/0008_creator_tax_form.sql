-- Tally ledger, migration 8: the tax form on file per creator (issue 16). Frozen once released.

-- `creator.registered` / `creator.updated` version 2: `w9`, `w8ben`, NULL for none. Never a taxpayer
-- identification number: only which form the team holds. No fact before version 2 has one, so NULL
-- is every existing creator's value.
ALTER TABLE creators ADD COLUMN tax_form TEXT;
