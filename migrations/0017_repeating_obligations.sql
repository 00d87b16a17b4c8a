-- A mandatory payment may repeat: each one carries the rule and the id of the series' first
-- payment; paying one adds the next, at most once per day of the series.
alter table obligations add column recurrence jsonb;
alter table obligations add column series_id uuid;
create unique index obligations_series_due_key on obligations (series_id, due_date) where series_id is not null;
