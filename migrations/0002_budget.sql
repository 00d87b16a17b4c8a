create table budget_accounts (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null constraint budget_accounts_user_id_users_id_fk references users (id) on delete cascade,
  name text not null,
  kind text not null,
  currency text not null,
  opening_balance numeric(20, 2) not null default '0',
  archived boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint budget_accounts_kind_check check (kind in ('cash', 'card', 'savings', 'deposit', 'credit_card'))
);
create index budget_accounts_user_idx on budget_accounts (user_id);

create table budget_categories (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null constraint budget_categories_user_id_users_id_fk references users (id) on delete cascade,
  parent_id uuid constraint budget_categories_parent_id_budget_categories_id_fk references budget_categories (id),
  kind text not null,
  name text not null,
  color text not null,
  monthly_limit numeric(20, 2),
  sort_order integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  constraint budget_categories_kind_check check (kind in ('income', 'expense'))
);
create index budget_categories_user_idx on budget_categories (user_id);
-- Names are unique per user and kind among active categories (the service also ignores case); a deleted one frees its name.
create unique index budget_categories_active_name_key on budget_categories (user_id, kind, name) where deleted_at is null;

create table budget_transactions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null constraint budget_transactions_user_id_users_id_fk references users (id) on delete cascade,
  type text not null,
  date date not null,
  occurred_at timestamptz,
  account_id uuid not null constraint budget_transactions_account_id_budget_accounts_id_fk references budget_accounts (id),
  to_account_id uuid constraint budget_transactions_to_account_id_budget_accounts_id_fk references budget_accounts (id),
  category_id uuid constraint budget_transactions_category_id_budget_categories_id_fk references budget_categories (id),
  amount numeric(20, 2) not null,
  amount_received numeric(20, 2),
  description text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint budget_transactions_amount_check check (amount > 0),
  -- A transfer is one row with both accounts, so its two legs can never come apart.
  constraint budget_transactions_shape_check check (
    (type = 'transfer' and to_account_id is not null and to_account_id <> account_id and amount_received > 0 and category_id is null)
    or (type in ('income', 'expense') and to_account_id is null and amount_received is null)
  )
);
-- Listing, month ranges and keyset pages walk (user_id, date, id); amount sorting has its own.
create index budget_transactions_user_date_idx on budget_transactions (user_id, date, id);
create index budget_transactions_user_amount_idx on budget_transactions (user_id, amount, id);
create index budget_transactions_account_idx on budget_transactions (account_id, date);
create index budget_transactions_to_account_idx on budget_transactions (to_account_id, date) where to_account_id is not null;
create index budget_transactions_category_idx on budget_transactions (category_id, date) where category_id is not null;

-- Month sums of each account (balance change, income, expense), written in the same transaction as
-- the transactions: balances and month series read a few rows per account, not the whole history.
create table budget_account_months (
  user_id uuid not null constraint budget_account_months_user_id_users_id_fk references users (id) on delete cascade,
  account_id uuid not null constraint budget_account_months_account_id_budget_accounts_id_fk references budget_accounts (id) on delete cascade,
  month date not null,
  delta numeric(20, 2) not null,
  income numeric(20, 2) not null,
  expense numeric(20, 2) not null,
  legs integer not null
);
create unique index budget_account_months_key on budget_account_months (user_id, account_id, month);
