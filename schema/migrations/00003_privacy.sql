-- +goose Up
-- Personal data: wrapped keys (vault/SCHEMA.md), patients with clear contact
-- data and encrypted identifiers, encrypted call turns, the link between
-- calls and patients, and the append-only, hash-chained audit log.
--
-- What is where (see README "Personal data"):
--   contact  (name, E.164 phone, e-mail)  clear columns of app.patients, RLS only
--   identity (date of birth, NHS/national id, insurance id)
--            vault ciphertext under the patient's data key + HMAC blind index
--   medical  (what the caller said, reason for visit, ...)
--            vault ciphertext in app.call_turns under the call's data key
--   payment  never stored
-- No column here holds key material in the clear; the master key never
-- reaches the database.

set local role frontdesk_owner;

-- Wrapped org keys (key-encryption keys), one row per version.
create table app.org_keys (
  org_id        uuid not null references app.orgs (id),
  key_id        text not null check (key_id ~ '^v[1-9][0-9]*$'),
  wrapped       bytea not null,
  master_key_id text not null,
  created_at    timestamptz not null default now(),
  primary key (org_id, key_id)
);
create index org_keys_master_key_id on app.org_keys (master_key_id);

-- Wrapped data keys, one per org and subject ('<patient uuid>' or
-- 'call:<CallSid>'). Deleting a row is crypto-shredding.
create table app.data_keys (
  org_id     uuid not null references app.orgs (id),
  subject_id text collate "C" not null,
  wrapped    bytea not null,
  org_key_id text not null,
  created_at timestamptz not null default now(),
  primary key (org_id, subject_id)
);
create index data_keys_org_key_id on app.data_keys (org_id, org_key_id);

-- A patient as the clinic knows them from calls. Erasure keeps the row as a
-- tombstone (erased_at set, every personal column null), so the audit log's
-- references and retained bookings stay consistent without naming anyone.
create table app.patients (
  id                uuid primary key default gen_random_uuid(),
  org_id            uuid not null references app.orgs (id),
  -- contact: clear (still tenant-isolated)
  name              text check (length(name) <= 200),
  phone             text check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  email             text check (length(email) <= 254),
  -- identity: vault ciphertexts (subject = the patient id) and blind indexes
  dob_ct            bytea,
  national_id_ct    bytea,
  insurance_id_ct   bytea,
  dob_bidx          text,
  national_id_bidx  text,
  insurance_id_bidx text,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  erased_at         timestamptz,
  unique (org_id, id),
  check (erased_at is null or (name is null and phone is null and email is null and dob_ct is null
    and national_id_ct is null and insurance_id_ct is null and dob_bidx is null
    and national_id_bidx is null and insurance_id_bidx is null))
);
create index patients_org_national_id_idx on app.patients (org_id, national_id_bidx) where national_id_bidx is not null;
create index patients_org_dob_idx on app.patients (org_id, dob_bidx) where dob_bidx is not null;
create index patients_org_phone_idx on app.patients (org_id, phone) where phone is not null;

-- Which patients a call was about (usually one; a parent booking for a
-- child makes two). Erasing a patient shreds the keys of these calls.
create table app.call_patients (
  org_id     uuid not null,
  call_sid   text not null,
  patient_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (org_id, call_sid, patient_id),
  foreign key (org_id, call_sid) references app.calls (org_id, call_sid),
  foreign key (org_id, patient_id) references app.patients (org_id, id)
);
create index call_patients_patient_idx on app.call_patients (org_id, patient_id);

-- One row per transcript turn. body is a vault ciphertext of the turn's
-- text and its non-contact fields, sealed under the data key of subject_id
-- ('call:<CallSid>') and bound to (org, app.call_turns, '<CallSid>/<seq>',
-- body). class and entities say what it held, never what was said.
create table app.call_turns (
  org_id     uuid not null,
  call_sid   text not null,
  seq        int not null check (seq > 0),
  speaker    text not null check (speaker in ('caller', 'agent')),
  at_ms      bigint not null check (at_ms >= 0),
  class      text not null check (class in ('operational', 'contact', 'identity', 'medical', 'payment')),
  entities   jsonb not null default '{}',
  subject_id text not null,
  body       bytea not null,
  created_at timestamptz not null default now(),
  primary key (org_id, call_sid, seq),
  foreign key (org_id, call_sid) references app.calls (org_id, call_sid)
);

-- The audit log: append-only, one hash chain per org. Rows carry types,
-- counts, ids and reasons, never a personal value. seq, prev_hash, hash and
-- canonical are computed by the BEFORE INSERT trigger below, whatever the
-- client sent.
create table app.audit_log (
  org_id    uuid not null references app.orgs (id),
  seq       bigint not null,
  at        timestamptz not null default now(),
  actor     text not null check (length(actor) between 1 and 200),
  action    text not null check (action ~ '^[a-z_]{1,40}$'),
  subject   text not null default '',
  detail    jsonb not null default '{}',
  reason    text not null default '',
  prev_hash bytea not null,
  hash      bytea not null,
  canonical text not null,
  primary key (org_id, seq)
);

-- canonical is the text a row's hash covers. jsonb's text form is
-- deterministic (keys ordered), and the time is rendered in UTC with
-- microseconds, so the text does not depend on the session's TimeZone or
-- DateStyle. `frontdesk audit verify` recomputes it from the row's columns.
create function app.audit_canonical(org_id uuid, seq bigint, at timestamptz, actor text, action text, subject text, detail jsonb, reason text)
  returns text
  language sql stable
  set search_path = pg_catalog, pg_temp
  as $$
    select jsonb_build_array($1::text, $2, to_char($3 at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), $4, $5, $6, $7, $8)::text
  $$;

-- The chain link is computed here, in SQL, under a per-org transaction
-- advisory lock: two concurrent inserts of one org queue, and each reads the
-- other's committed row (each statement of a READ COMMITTED transaction
-- takes a new snapshot) before linking to it. The primary key (org_id, seq)
-- turns any fork that slipped through (e.g. REPEATABLE READ callers) into
-- an error instead of a silent branch. SECURITY INVOKER: it reads the
-- previous row through the caller's own row-level security, which is the
-- org's chain.
-- +goose StatementBegin
create function app.audit_chain() returns trigger
  language plpgsql
  set search_path = pg_catalog, pg_temp
  as $$
declare
  prev record;
begin
  perform pg_advisory_xact_lock(7261003, hashtext(new.org_id::text));
  select l.seq, l.hash into prev from app.audit_log l where l.org_id = new.org_id order by l.seq desc limit 1;
  new.seq := coalesce(prev.seq, 0) + 1;
  new.at := clock_timestamp();
  new.prev_hash := coalesce(prev.hash, decode(repeat('00', 32), 'hex'));
  new.canonical := app.audit_canonical(new.org_id, new.seq, new.at, new.actor, new.action, new.subject, new.detail, new.reason);
  new.hash := sha256(new.prev_hash || convert_to(new.canonical, 'UTF8'));
  return new;
end
$$;
-- +goose StatementEnd
create trigger audit_log_chain before insert on app.audit_log
  for each row execute function app.audit_chain();

-- +goose StatementBegin
create function app.audit_log_append_only() returns trigger
  language plpgsql
  set search_path = pg_catalog, pg_temp
  as $$
begin
  raise exception 'app.audit_log is append-only' using errcode = '42501';
end
$$;
-- +goose StatementEnd
-- Blocks the owner and superusers too (unless they turn triggers off, which
-- `frontdesk audit verify` then catches through the chain).
create trigger audit_log_no_update before update or delete on app.audit_log
  for each row execute function app.audit_log_append_only();
create trigger audit_log_no_truncate before truncate on app.audit_log
  for each statement execute function app.audit_log_append_only();

-- Row-level security. Each table is granted only the commands the
-- application runs on it, with a tenant policy for each: keys are never
-- updated on the request path (rotation runs from the CLI through the admin
-- connection), turns are immutable, and the audit log is append-only.
-- +goose StatementBegin
do $$
declare
  t text;
  cmds text[];
  c text;
begin
  foreach t in array array['org_keys', 'data_keys', 'patients', 'call_patients', 'call_turns', 'audit_log'] loop
    cmds := case t
      when 'org_keys' then array['select', 'insert']
      when 'data_keys' then array['select', 'insert', 'delete']
      when 'call_turns' then array['select', 'insert', 'delete']
      when 'audit_log' then array['select', 'insert']
      else array['select', 'insert', 'update', 'delete'] end;
    execute format('alter table app.%I enable row level security', t);
    execute format('alter table app.%I force row level security', t);
    foreach c in array cmds loop
      case c
        when 'select' then execute format('create policy tenant_select on app.%I for select to authenticated using (org_id = (select auth.org_id()))', t);
        when 'insert' then execute format('create policy tenant_insert on app.%I for insert to authenticated with check (org_id = (select auth.org_id()))', t);
        when 'update' then execute format('create policy tenant_update on app.%I for update to authenticated using (org_id = (select auth.org_id())) with check (org_id = (select auth.org_id()))', t);
        when 'delete' then execute format('create policy tenant_delete on app.%I for delete to authenticated using (org_id = (select auth.org_id()))', t);
      end case;
    end loop;
    execute format('revoke all on app.%I from public', t);
    execute format('grant %s on app.%I to authenticated', array_to_string(cmds, ', '), t);
  end loop;
end
$$;
-- +goose StatementEnd

grant execute on function app.audit_canonical(uuid, bigint, timestamptz, text, text, text, jsonb, text) to authenticated;

-- goose records the version in this transaction, as the migrating role.
reset role;

-- +goose Down
drop table app.audit_log, app.call_turns, app.call_patients, app.patients, app.data_keys, app.org_keys;
drop function app.audit_chain(), app.audit_log_append_only(), app.audit_canonical(uuid, bigint, timestamptz, text, text, text, jsonb, text);
