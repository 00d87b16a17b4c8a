-- Broker operation ids can change over time, so a synced operation is recognised by a key made of
-- what does not change (account, instrument, type, time, amount, quantity, trade numbers). The
-- broker id stays as information only and may repeat after the broker renumbers.
alter table operations add column sync_key text;
drop index operations_portfolio_external_key;
create index operations_portfolio_external_idx on operations (portfolio_id, external_id);
create unique index operations_portfolio_sync_key on operations (portfolio_id, sync_key);
