create table instruments (
  uid text primary key,
  figi text not null default '',
  ticker text not null,
  class_code text not null default '',
  isin text not null default '',
  name text not null,
  kind text not null,
  currency text not null default '',
  lot integer not null default 1,
  nominal numeric(30, 9),
  nominal_currency text,
  aci_value numeric(30, 9),
  aci_date date,
  min_price_increment numeric(30, 9),
  maturity_date date,
  coupons_per_year integer,
  tradable boolean not null default false,
  updated_at timestamptz not null default now()
);
create index instruments_ticker_idx on instruments (ticker);
create index instruments_figi_idx on instruments (figi);
create index instruments_kind_idx on instruments (kind);

create table last_prices (
  instrument_uid text primary key constraint last_prices_instrument_uid_instruments_uid_fk references instruments (uid) on delete cascade,
  price numeric(30, 9) not null,
  price_time timestamptz not null,
  fetched_at timestamptz not null,
  prev_close numeric(30, 9),
  prev_close_date date
);

create table portfolios (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null constraint portfolios_user_id_users_id_fk references users (id) on delete cascade,
  name text not null,
  kind text not null default 'manual',
  account_id text,
  cash_tracking boolean not null default false,
  last_synced_at timestamptz,
  positions_version integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index portfolios_user_idx on portfolios (user_id);
create unique index portfolios_user_account_key on portfolios (user_id, account_id);

create table manual_assets (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null constraint manual_assets_user_id_users_id_fk references users (id) on delete cascade,
  ticker text not null,
  name text not null,
  kind text not null,
  currency text not null,
  price numeric(30, 9),
  priced_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index manual_assets_user_idx on manual_assets (user_id);

create table operations (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null constraint operations_user_id_users_id_fk references users (id) on delete cascade,
  portfolio_id uuid not null constraint operations_portfolio_id_portfolios_id_fk references portfolios (id) on delete cascade,
  type text not null,
  instrument_uid text constraint operations_instrument_uid_instruments_uid_fk references instruments (uid),
  manual_asset_id uuid constraint operations_manual_asset_id_manual_assets_id_fk references manual_assets (id),
  date date not null,
  occurred_at timestamptz not null,
  quantity numeric(30, 9) not null default '0',
  price numeric(30, 9),
  amount numeric(20, 2) not null default '0',
  commission numeric(20, 2) not null default '0',
  accrued_interest numeric(20, 2) not null default '0',
  currency text not null,
  fx_rate numeric(30, 9),
  fx_base text,
  external_id text,
  note text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index operations_portfolio_date_idx on operations (portfolio_id, date, occurred_at);
create index operations_user_idx on operations (user_id);
create index operations_portfolio_instrument_idx on operations (portfolio_id, instrument_uid);
create index operations_manual_asset_idx on operations (manual_asset_id);
create unique index operations_portfolio_external_key on operations (portfolio_id, external_id);

create table positions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null constraint positions_user_id_users_id_fk references users (id) on delete cascade,
  portfolio_id uuid not null constraint positions_portfolio_id_portfolios_id_fk references portfolios (id) on delete cascade,
  instrument_uid text constraint positions_instrument_uid_instruments_uid_fk references instruments (uid),
  manual_asset_id uuid constraint positions_manual_asset_id_manual_assets_id_fk references manual_assets (id) on delete cascade,
  cash_currency text,
  base_currency text not null,
  currency text not null,
  quantity numeric(30, 9) not null,
  cost numeric(30, 9) not null,
  cost_base numeric(30, 9),
  realized numeric(30, 9) not null,
  realized_base numeric(30, 9),
  income_base numeric(30, 9),
  taxes_base numeric(30, 9),
  fees_base numeric(30, 9),
  last_trade_price numeric(30, 9),
  last_trade_date date,
  operations_count integer not null,
  missing_rates integer not null
);
create index positions_user_idx on positions (user_id);
create unique index positions_portfolio_instrument_key on positions (portfolio_id, instrument_uid);
create unique index positions_portfolio_manual_key on positions (portfolio_id, manual_asset_id);
create unique index positions_portfolio_cash_key on positions (portfolio_id, cash_currency);
