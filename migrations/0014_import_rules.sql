-- Named column mappings of CSV statements, and the rules applied to every previewed row.
create table import_presets (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null constraint import_presets_user_id_users_id_fk references users (id) on delete cascade,
  name text not null,
  settings jsonb not null,
  created_at timestamptz not null default now()
);
create unique index import_presets_user_name_key on import_presets (user_id, name);

create table import_rules (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null constraint import_rules_user_id_users_id_fk references users (id) on delete cascade,
  field text not null,
  pattern text not null,
  category_id uuid constraint import_rules_category_id_budget_categories_id_fk references budget_categories (id),
  set_description text,
  transfer_account_id uuid constraint import_rules_transfer_account_id_budget_accounts_id_fk references budget_accounts (id) on delete cascade,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  constraint import_rules_field_check check (field in ('description', 'payee', 'mcc'))
);
create index import_rules_user_idx on import_rules (user_id, position);
