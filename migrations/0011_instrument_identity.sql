-- One instrument across market data providers: the row's uid stays the app's id; the T-Invest uid
-- is kept beside it (every instrument so far came from T-Invest), and MOEX ISS addresses an
-- instrument by ticker and board (class code), so that pair and the ISIN find the row again.
alter table instruments add column tinvest_uid text;
update instruments set tinvest_uid = uid;
create unique index instruments_tinvest_uid_key on instruments (tinvest_uid);
create index instruments_ticker_class_idx on instruments (ticker, class_code);
create index instruments_isin_idx on instruments (isin);

-- Which provider priced the last known price: tinvest or moex.
alter table last_prices add column source text not null default 'tinvest';
