create table obligations (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null constraint obligations_user_id_users_id_fk references users (id) on delete cascade,
  title text not null,
  due_date date not null,
  amount numeric(20, 2) not null,
  currency text not null default 'RUB',
  done boolean not null default false,
  paid_date date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index obligations_user_due_idx on obligations (user_id, due_date);

create table credit_blocks (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null constraint credit_blocks_user_id_users_id_fk references users (id) on delete cascade,
  kind text not null,
  title text not null,
  principal numeric(20, 2) not null,
  annual_rate_percent numeric(30, 9) not null,
  term_months integer not null,
  close_date date,
  issue_date date not null,
  payment_day integer not null,
  payment_type text not null,
  interest_method text not null default 'days',
  currency text not null default 'RUB',
  status text not null default 'active',
  notes text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index credit_blocks_user_idx on credit_blocks (user_id);

create table credit_payments (
  id uuid primary key default gen_random_uuid(),
  block_id uuid not null constraint credit_payments_block_id_credit_blocks_id_fk references credit_blocks (id) on delete cascade,
  number integer not null,
  paid_date date not null,
  amount numeric(20, 2) not null,
  created_at timestamptz not null default now()
);
create unique index credit_payments_block_number_key on credit_payments (block_id, number);

create table credit_early_repayments (
  id uuid primary key default gen_random_uuid(),
  block_id uuid not null constraint credit_early_repayments_block_id_credit_blocks_id_fk references credit_blocks (id) on delete cascade,
  repayment_date date not null,
  amount numeric(20, 2) not null,
  mode text not null,
  created_at timestamptz not null default now()
);
create index credit_early_repayments_block_idx on credit_early_repayments (block_id, repayment_date);
