-- Investment activities imported from a file (Ghostfolio, Intelinvest, Snowball, a mapping): a batch
-- per file, its rows staged as the operations they become; committed rows keep their fingerprint so
-- that the same file imports nothing twice, and the batch is undone as a whole. Saved CSV mappings
-- now say whether they read statements or activities.
alter table import_presets add column kind text default 'statements' not null;
alter table import_presets add constraint import_presets_kind_check check (kind in ('statements', 'activities'));

create table activity_import_batches (
  id uuid primary key default gen_random_uuid() not null,
  user_id uuid not null constraint activity_import_batches_user_id_users_id_fk references users (id) on delete cascade,
  portfolio_id uuid not null constraint activity_import_batches_portfolio_id_portfolios_id_fk references portfolios (id) on delete cascade,
  format text not null,
  preset text,
  file_name text default '' not null,
  status text not null,
  created_assets uuid[] not null,
  created_at timestamp with time zone default now() not null,
  committed_at timestamp with time zone,
  constraint activity_import_batches_format_check check (format in ('csv', 'json')),
  constraint activity_import_batches_status_check check (status in ('preview', 'committed'))
);
create index activity_import_batches_user_idx on activity_import_batches (user_id, created_at);

create table activity_import_rows (
  batch_id uuid not null constraint activity_import_rows_batch_id_activity_import_batches_id_fk references activity_import_batches (id) on delete cascade,
  line integer not null,
  user_id uuid not null constraint activity_import_rows_user_id_users_id_fk references users (id) on delete cascade,
  portfolio_id uuid not null,
  status text not null,
  committed boolean default false not null,
  dedupe_key text not null,
  symbol text not null,
  name text,
  operation jsonb not null,
  operation_id uuid not null,
  constraint activity_import_rows_status_check check (status in ('new', 'duplicate', 'skipped'))
);
create unique index activity_import_rows_batch_line_key on activity_import_rows (batch_id, line);
create index activity_import_rows_committed_idx on activity_import_rows (portfolio_id, dedupe_key) where committed;
