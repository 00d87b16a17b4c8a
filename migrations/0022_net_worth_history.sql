-- The net-worth history becomes a cache rebuilt from the data (balances, credits, portfolios, rates)
-- instead of one snapshot per visit: a day whose rate is missing keeps no figure and names the
-- currencies, and the portfolio's part is kept to notice when the portfolio series changes.
-- Snapshots stored by earlier versions are left as they are; the first computation replaces them.
alter table net_worth_snapshots
  alter column assets drop not null,
  alter column liabilities drop not null,
  alter column net_worth drop not null,
  add column portfolio numeric(1000, 2) not null default 0,
  add column missing_rates text[] not null default '{}';
-- Rows are written with their missing rates; the default only filled the earlier snapshots.
alter table net_worth_snapshots alter column missing_rates drop default;

-- Bumped by every write that changes the history: a computation that started before a bump does
-- not store its rows (they may miss the write).
create table net_worth_state (
  user_id uuid primary key constraint net_worth_state_user_id_users_id_fk references users (id) on delete cascade,
  version integer not null default 0
);
