-- Official Bank of Russia rates: one row per currency and day the rate was set for (the Date
-- attribute), shared by all users. A rate in roubles for `nominal` units, as published.
create table fx_official_rates (
  currency text not null,
  day date not null,
  value numeric(20, 4) not null,
  nominal integer not null,
  fetched_at timestamptz not null default now()
);
create unique index fx_official_rates_currency_day_key on fx_official_rates (currency, day);

-- Per currency: the Bank of Russia's code and the days whose rates are known to be complete
-- (a day inside the range without a row keeps the last published rate).
create table fx_official_coverage (
  currency text primary key,
  cbr_id text,
  from_day date,
  to_day date,
  checked_at timestamptz,
  failed_at timestamptz
);

-- One row: the daily refresh's claim (one instance at a time) and its last outcome.
create table fx_refresh_state (
  source text primary key,
  claimed_until timestamptz,
  ok_at timestamptz,
  failed_at timestamptz,
  error text
);

-- A rate the user typed for a currency and day: roubles for one unit; it wins over the official one.
create table fx_user_rates (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null constraint fx_user_rates_user_id_users_id_fk references users (id) on delete cascade,
  currency text not null,
  day date not null,
  rate numeric(30, 9) not null,
  created_at timestamptz not null default now()
);
create unique index fx_user_rates_user_currency_day_key on fx_user_rates (user_id, currency, day);
