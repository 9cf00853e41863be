-- +goose Up
-- Tenancy foundations: the auth helpers that read the request's JWT claims,
-- the tenant tables of the call path, and their row-level security.
-- Roles are created by `frontdesk migrate` before this runs (schema/roles.go).

create extension if not exists btree_gist;
create schema if not exists app authorization frontdesk_owner;
create schema if not exists auth authorization frontdesk_owner;

set local role frontdesk_owner;

-- auth.jwt() and auth.org_id() read the claims that store/ sets per
-- transaction with set_config('request.jwt.claims', ..., true), as Supabase
-- does. With no claims, auth.org_id() is null and every policy below is false.
-- +goose StatementBegin
do $$
begin
  if to_regprocedure('auth.jwt()') is null then
    create function auth.jwt() returns jsonb
      language sql stable
      as $f$ select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $f$;
  end if;
end
$$;
-- +goose StatementEnd

create or replace function auth.org_id() returns uuid
  language sql stable
  as $$ select nullif(auth.jwt() ->> 'org_id', '')::uuid $$;

grant usage on schema auth to authenticated;
grant usage on schema app to authenticated;
grant execute on function auth.jwt(), auth.org_id() to authenticated;

create table app.orgs (
  id         uuid primary key,
  name       text not null,
  created_at timestamptz not null default now()
);

create table app.clinics (
  id           uuid primary key default gen_random_uuid(),
  org_id       uuid not null references app.orgs (id),
  name         text not null,
  phone_number text not null unique check (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
  timezone     text not null default 'Europe/London',
  address      text not null default '',
  booking_url  text not null default '',
  created_at   timestamptz not null default now(),
  unique (org_id, id)
);
create index clinics_org_idx on app.clinics (org_id);

create table app.practitioners (
  id         uuid primary key default gen_random_uuid(),
  org_id     uuid not null,
  clinic_id  uuid not null,
  name       text not null,
  unique (org_id, id),
  foreign key (org_id, clinic_id) references app.clinics (org_id, id)
);
create index practitioners_org_idx on app.practitioners (org_id, clinic_id);

create table app.procedures (
  id                uuid primary key default gen_random_uuid(),
  org_id            uuid not null,
  clinic_id         uuid not null,
  code              text not null,
  name              text not null,
  duration_minutes  int not null check (duration_minutes between 5 and 480),
  preparation       text[] not null default '{}',
  version           int not null default 1,
  unique (org_id, id),
  unique (org_id, clinic_id, code),
  foreign key (org_id, clinic_id) references app.clinics (org_id, id)
);

create table app.slots (
  id              uuid primary key default gen_random_uuid(),
  org_id          uuid not null,
  clinic_id       uuid not null,
  practitioner_id uuid not null,
  during          tstzrange not null check (not isempty(during) and lower_inc(during) and not upper_inc(during)),
  blocked         boolean not null default false,
  unique (org_id, id),
  foreign key (org_id, clinic_id) references app.clinics (org_id, id),
  foreign key (org_id, practitioner_id) references app.practitioners (org_id, id)
);
create index slots_org_day_idx on app.slots (org_id, clinic_id, lower(during));

-- One row per phone call: operational data only (no caller number here).
create table app.calls (
  org_id      uuid not null,
  call_sid    text not null check (call_sid ~ '^CA[0-9a-fA-F]{32}$'),
  clinic_id   uuid not null,
  status      text not null,
  outcome     text not null default '',
  started_at  timestamptz not null default now(),
  ended_at    timestamptz,
  primary key (org_id, call_sid),
  foreign key (org_id, clinic_id) references app.clinics (org_id, id)
);
create unique index calls_sid_idx on app.calls (call_sid);

-- Row-level security: every tenant table answers only inside the org of the
-- request's claims. FORCE makes the owner obey it too.
-- +goose StatementBegin
do $$
declare
  t text;
  col text;
begin
  foreach t in array array['orgs', 'clinics', 'practitioners', 'procedures', 'slots', 'calls'] loop
    col := case when t = 'orgs' then 'id' else 'org_id' end;
    execute format('alter table app.%I enable row level security', t);
    execute format('alter table app.%I force row level security', t);
    execute format('create policy tenant_select on app.%I for select to authenticated using (%I = (select auth.org_id()))', t, col);
    execute format('create policy tenant_insert on app.%I for insert to authenticated with check (%I = (select auth.org_id()))', t, col);
    execute format('create policy tenant_update on app.%I for update to authenticated using (%I = (select auth.org_id())) with check (%I = (select auth.org_id()))', t, col, col);
    execute format('create policy tenant_delete on app.%I for delete to authenticated using (%I = (select auth.org_id()))', t, col);
    execute format('grant select, insert, update, delete on app.%I to authenticated', t);
  end loop;
end
$$;
-- +goose StatementEnd

-- The one lookup that must cross tenants: which clinic owns the number an
-- incoming call dialled. It returns ids only, runs as a role that may read
-- just that, and has a fixed search_path.
grant usage on schema app to frontdesk_definer;
grant select (id, org_id, phone_number) on app.clinics to frontdesk_definer;
create policy definer_lookup on app.clinics for select to frontdesk_definer using (true);

reset role;
create function app.clinic_for_number(called text)
  returns table (clinic_id uuid, org_id uuid)
  language sql stable security definer
  set search_path = pg_catalog, pg_temp
  as $$ select c.id, c.org_id from app.clinics c where c.phone_number = called $$;
alter function app.clinic_for_number(text) owner to frontdesk_definer;
revoke all on function app.clinic_for_number(text) from public;
grant execute on function app.clinic_for_number(text) to authenticated;

-- +goose Down
drop schema app cascade;
drop function if exists auth.org_id();
