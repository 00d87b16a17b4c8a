create table net_worth_snapshots (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null constraint net_worth_snapshots_user_id_users_id_fk references users (id) on delete cascade,
  day date not null,
  base_currency text not null,
  assets numeric(20, 2) not null,
  liabilities numeric(20, 2) not null,
  net_worth numeric(20, 2) not null,
  updated_at timestamptz not null default now()
);
create unique index net_worth_snapshots_user_day_key on net_worth_snapshots (user_id, day);
