-- Dated prices of a hand-priced asset: the latest values it, the earlier ones are its history.
create table manual_asset_prices (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null constraint manual_asset_prices_user_id_users_id_fk references users (id) on delete cascade,
  manual_asset_id uuid not null constraint manual_asset_prices_manual_asset_id_manual_assets_id_fk references manual_assets (id) on delete cascade,
  date date not null,
  price numeric(30, 9) not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index manual_asset_prices_asset_date_key on manual_asset_prices (manual_asset_id, date);
create index manual_asset_prices_user_idx on manual_asset_prices (user_id);

-- The price each asset has now becomes the first entry of its history, on the day it was set.
insert into manual_asset_prices (user_id, manual_asset_id, date, price)
select user_id, id, (coalesce(priced_at, updated_at) at time zone 'Europe/Moscow')::date, price
from manual_assets where price is not null;
