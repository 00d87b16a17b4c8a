-- Investment results: daily closes kept from day candles, the ИИС mark of a portfolio, and the
-- cached daily value series of each portfolio (derived data, recomputed from the changed day on).
create table daily_closes (
  instrument_uid text not null,
  day date not null,
  close numeric(30, 9) not null,
  source text not null,
  fetched_at timestamptz not null default now()
);
create unique index daily_closes_instrument_day_key on daily_closes (instrument_uid, day);
create index daily_closes_fetched_idx on daily_closes (fetched_at);

create table daily_close_coverage (
  instrument_uid text primary key,
  from_day date not null,
  to_day date not null,
  checked_at timestamptz not null default now()
);

create table portfolio_tax_settings (
  portfolio_id uuid primary key constraint portfolio_tax_settings_portfolio_id_portfolios_id_fk references portfolios (id) on delete cascade,
  user_id uuid not null constraint portfolio_tax_settings_user_id_users_id_fk references users (id) on delete cascade,
  iis_type text,
  updated_at timestamptz not null default now()
);

create table portfolio_daily_values (
  portfolio_id uuid not null constraint portfolio_daily_values_portfolio_id_portfolios_id_fk references portfolios (id) on delete cascade,
  day date not null,
  value numeric(20, 2) not null,
  flow numeric(20, 2) not null,
  net_invested numeric(20, 2) not null,
  missing integer not null
);
create unique index portfolio_daily_values_portfolio_day_key on portfolio_daily_values (portfolio_id, day);

create table portfolio_series_state (
  portfolio_id uuid primary key constraint portfolio_series_state_portfolio_id_portfolios_id_fk references portfolios (id) on delete cascade,
  base_currency text not null,
  first_day date not null,
  computed_to date not null,
  computed_at timestamptz not null,
  operations_count integer not null,
  prices_count integer not null,
  rates_key text not null
);
