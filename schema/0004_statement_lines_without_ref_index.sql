-- statement_lines_by_ref (0002) served no query: `explain` and the month engine read statement
-- lines by statement, in key order. Kept up to date, it was a random insert per line: a close that
-- writes 180,000 lines spent a third of its time on it (docs/performance.md).
DROP INDEX statement_lines_by_ref;
