-- Month sums also count the income and expense transactions of each account, so a month's report
-- (totals, count, savings flow and balances) reads the month sums alone.
alter table budget_account_months add column flows integer not null default 0;

update budget_account_months m
set flows = c.n
from (
  select account_id, date_trunc('month', date)::date as month, count(*)::int as n
  from budget_transactions
  where type <> 'transfer'
  group by account_id, date_trunc('month', date)
) c
where c.account_id = m.account_id and c.month = m.month;
