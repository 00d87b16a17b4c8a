-- Month sums per account, category and kind (income or expense), written in the same transaction as
-- the transactions like the account months: the month summary's limits and the reports' category
-- slices read a few rows per category instead of every transaction of the period. Transactions
-- without a category have their own row (category_id null), keyed by a second partial index.
create table budget_category_months (
  user_id uuid not null constraint budget_category_months_user_id_users_id_fk references users (id) on delete cascade,
  account_id uuid not null constraint budget_category_months_account_id_budget_accounts_id_fk references budget_accounts (id) on delete cascade,
  category_id uuid constraint budget_category_months_category_id_budget_categories_id_fk references budget_categories (id) on delete cascade,
  month date not null,
  type text not null,
  amount numeric(1000, 2) not null,
  flows integer not null,
  constraint budget_category_months_type_check check (type in ('income', 'expense'))
);
create unique index budget_category_months_key
  on budget_category_months (user_id, month, account_id, type, category_id) where category_id is not null;
create unique index budget_category_months_uncategorised_key
  on budget_category_months (user_id, month, account_id, type) where category_id is null;

insert into budget_category_months (user_id, account_id, category_id, month, type, amount, flows)
select user_id, account_id, category_id, date_trunc('month', date)::date, type, sum(amount), count(*)::int
from budget_transactions
where type in ('income', 'expense')
group by user_id, account_id, category_id, date_trunc('month', date)::date, type;
