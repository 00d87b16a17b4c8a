-- A statement import: previewed first (its rows staged below), then committed or discarded; a
-- committed batch can be undone as a whole.
create table import_batches (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null constraint import_batches_user_id_users_id_fk references users (id) on delete cascade,
  account_id uuid not null constraint import_batches_account_id_budget_accounts_id_fk references budget_accounts (id) on delete cascade,
  format text not null,
  file_name text not null default '',
  status text not null,
  created_at timestamptz not null default now(),
  committed_at timestamptz,
  constraint import_batches_format_check check (format in ('csv', 'ofx', 'qif')),
  constraint import_batches_status_check check (status in ('preview', 'committed'))
);
create index import_batches_user_idx on import_batches (user_id, created_at);

-- The rows of a batch. A committed row keeps its key after its transaction is deleted by hand, so
-- importing the same statement again never brings back what the user removed.
create table import_rows (
  batch_id uuid not null constraint import_rows_batch_id_import_batches_id_fk references import_batches (id) on delete cascade,
  line integer not null,
  user_id uuid not null constraint import_rows_user_id_users_id_fk references users (id) on delete cascade,
  account_id uuid not null,
  status text not null,
  committed boolean not null default false,
  dedupe_key text not null default '',
  date date not null,
  occurred_at timestamptz,
  type text not null,
  amount numeric(20, 2) not null,
  -- Set by a transfer rule: the row becomes a transfer with that own account (from it when money came in).
  to_account_id uuid,
  category_id uuid,
  category_source text,
  description text not null,
  payee text not null,
  payee_key text not null,
  mcc text,
  bank_category text,
  bank_id text,
  transaction_id uuid not null,
  -- An already imported operation of another own account that looks like the other side of a transfer.
  transfer_match_id uuid,
  constraint import_rows_status_check check (status in ('new', 'duplicate', 'skipped')),
  constraint import_rows_type_check check (type in ('income', 'expense'))
);
create unique index import_rows_batch_line_key on import_rows (batch_id, line);
-- Never twice: one committed row per key and account.
create unique index import_rows_committed_key on import_rows (account_id, dedupe_key) where committed;
create index import_rows_payee_idx on import_rows (user_id, payee_key) where committed;
