-- Recurring income, expenses and transfers. Occurrences are computed from the rule; only what
-- happened to one (posted, matched to a transaction, skipped, changed) is stored.
create table schedules (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null constraint schedules_user_id_users_id_fk references users (id) on delete cascade,
  type text not null,
  title text not null,
  account_id uuid not null constraint schedules_account_id_budget_accounts_id_fk references budget_accounts (id) on delete cascade,
  to_account_id uuid constraint schedules_to_account_id_budget_accounts_id_fk references budget_accounts (id) on delete cascade,
  category_id uuid constraint schedules_category_id_budget_categories_id_fk references budget_categories (id),
  amount numeric(20, 2) not null,
  tolerance_percent integer not null default 0,
  every integer not null,
  unit text not null,
  month_day integer,
  weekday integer,
  shift text not null default 'none',
  start_date date not null,
  end_date date,
  count integer,
  mode text not null,
  post_from date not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint schedules_type_check check (type in ('income', 'expense', 'transfer')),
  constraint schedules_unit_check check (unit in ('day', 'week', 'month', 'year')),
  constraint schedules_shift_check check (shift in ('none', 'before', 'after')),
  constraint schedules_mode_check check (mode in ('auto', 'confirm')),
  constraint schedules_every_check check (every > 0)
);
create index schedules_user_idx on schedules (user_id);
create index schedules_account_idx on schedules (account_id);

-- One row per occurrence something happened to, keyed by its nominal day: posting inserts the key
-- first, so a restart or a second instance can never post the same occurrence twice.
create table schedule_occurrences (
  id uuid primary key default gen_random_uuid(),
  schedule_id uuid not null constraint schedule_occurrences_schedule_id_schedules_id_fk references schedules (id) on delete cascade,
  user_id uuid not null constraint schedule_occurrences_user_id_users_id_fk references users (id) on delete cascade,
  nominal_date date not null,
  status text not null,
  date date,
  amount numeric(20, 2),
  transaction_id uuid constraint schedule_occurrences_transaction_id_budget_transactions_id_fk references budget_transactions (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint schedule_occurrences_status_check check (status in ('posted', 'matched', 'skipped', 'changed'))
);
create unique index schedule_occurrences_key on schedule_occurrences (schedule_id, nominal_date);
create unique index schedule_occurrences_transaction_key on schedule_occurrences (transaction_id) where transaction_id is not null;
