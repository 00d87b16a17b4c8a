-- Columns that hold sums (month sums of accounts, positions built from many operations, net worth
-- snapshots) get room for 991 digits before the point instead of 18 or 21: every single amount is
-- limited to 15 digits, so no number of them can overflow a sum. The scale stays, and so does the
-- text the drivers return ("12.30"). Widening a numeric's precision rewrites no rows.
alter table budget_account_months
  alter column delta type numeric(1000, 2),
  alter column income type numeric(1000, 2),
  alter column expense type numeric(1000, 2);

alter table positions
  alter column quantity type numeric(1000, 9),
  alter column cost type numeric(1000, 9),
  alter column cost_base type numeric(1000, 9),
  alter column realized type numeric(1000, 9),
  alter column realized_base type numeric(1000, 9),
  alter column income_base type numeric(1000, 9),
  alter column taxes_base type numeric(1000, 9),
  alter column fees_base type numeric(1000, 9);

alter table net_worth_snapshots
  alter column assets type numeric(1000, 2),
  alter column liabilities type numeric(1000, 2),
  alter column net_worth type numeric(1000, 2);
