-- +goose Up
-- The patient's rights and a complete erasure (issues 12 and 14):
--
-- * app.patients.phone_bidx: the blind index of the patient's phone,
--   unique per org among live patients. It is how the staff API finds a
--   patient by number, and the key of the upsert that makes two concurrent
--   first calls from one number create one patient.
-- * app.call_contacts.caller_phone_bidx: the same index of each call's
--   caller number, so an erasure finds every call from the patient's
--   number, linked to them or not.
-- * app.sms_opt_outs: an erased patient's opt-out is kept as its blind
--   index only (phone set to null): the clinic must still honour the STOP
--   if the number ever reaches it again, but needs no longer know the
--   number. A hashed row needs its own key, hence the id.
-- * app.clinics.transcript_retention_days and app.calls.turns_purged_at:
--   the retention workflow deletes turns older than the clinic's period and
--   shreds their call keys, and marks the call so it is not visited again.
-- * app.retention_clinics: the retention workflow's one cross-tenant read
--   (clinic ids and their periods), as a definer function like
--   app.clinic_for_number.
--
-- Blind indexes are HMACs under per-org keys derived from the master key
-- (vault.BlindIndex), which never reaches the database: SQL cannot compute
-- them, so rows written before this migration have none, and the queries
-- that use an index also match the clear number where one is left.

set local role frontdesk_owner;

alter table app.patients add column phone_bidx text;
alter table app.patients add constraint patients_erased_no_phone_bidx check (erased_at is null or phone_bidx is null);
create unique index patients_org_phone_bidx_key on app.patients (org_id, phone_bidx) where phone_bidx is not null;

alter table app.call_contacts add column caller_phone_bidx text;
create index call_contacts_org_phone_bidx_idx on app.call_contacts (org_id, caller_phone_bidx) where caller_phone_bidx is not null;

alter table app.sms_opt_outs
  add column id uuid not null default gen_random_uuid(),
  add column phone_bidx text;
alter table app.sms_opt_outs drop constraint sms_opt_outs_pkey;
alter table app.sms_opt_outs add primary key (org_id, id);
alter table app.sms_opt_outs alter column phone drop not null;
alter table app.sms_opt_outs add constraint sms_opt_outs_identified check (phone is not null or phone_bidx is not null);
create unique index sms_opt_outs_org_phone_key on app.sms_opt_outs (org_id, phone) where phone is not null;
create unique index sms_opt_outs_org_phone_bidx_key on app.sms_opt_outs (org_id, phone_bidx) where phone_bidx is not null;

alter table app.clinics add column transcript_retention_days int not null default 30
  check (transcript_retention_days between 1 and 3650);

alter table app.calls add column turns_purged_at timestamptz;
-- The retention workflow's daily question: which of a clinic's calls are
-- past the period and not purged yet.
create index calls_retention_due_idx on app.calls (org_id, clinic_id, started_at) where turns_purged_at is null;

-- A patient's export gathers the audit rows about them and their calls.
create index audit_log_org_subject_idx on app.audit_log (org_id, subject);

grant select (transcript_retention_days) on app.clinics to frontdesk_definer;

reset role;

-- Clinic ids with their retention period, a page at a time: ids and a
-- setting only, nothing of any patient.
create function app.retention_clinics(after uuid, page int)
  returns table (clinic_id uuid, org_id uuid, retention_days int)
  language sql stable security definer
  set search_path = pg_catalog, pg_temp
  as $$
    select c.id, c.org_id, c.transcript_retention_days from app.clinics c
    where c.id > coalesce(after, '00000000-0000-0000-0000-000000000000'::uuid)
    order by c.id limit least(greatest(page, 1), 1000)
  $$;
alter function app.retention_clinics(uuid, int) owner to frontdesk_definer;
revoke all on function app.retention_clinics(uuid, int) from public;
grant execute on function app.retention_clinics(uuid, int) to authenticated;

-- +goose Down
drop function if exists app.retention_clinics(uuid, int);
-- Hashed opt-outs cannot go back into a table keyed by the number; run as
-- the migrating superuser, which row-level security does not filter.
delete from app.sms_opt_outs where phone is null;
set local role frontdesk_owner;
revoke select (transcript_retention_days) on app.clinics from frontdesk_definer;
drop index if exists app.audit_log_org_subject_idx;
drop index if exists app.calls_retention_due_idx;
alter table app.calls drop column if exists turns_purged_at;
alter table app.clinics drop column if exists transcript_retention_days;
drop index if exists app.sms_opt_outs_org_phone_bidx_key;
drop index if exists app.sms_opt_outs_org_phone_key;
alter table app.sms_opt_outs drop constraint if exists sms_opt_outs_identified;
alter table app.sms_opt_outs drop constraint sms_opt_outs_pkey;
alter table app.sms_opt_outs alter column phone set not null;
alter table app.sms_opt_outs add primary key (org_id, phone);
alter table app.sms_opt_outs drop column phone_bidx, drop column id;
drop index if exists app.call_contacts_org_phone_bidx_idx;
alter table app.call_contacts drop column if exists caller_phone_bidx;
drop index if exists app.patients_org_phone_bidx_key;
alter table app.patients drop constraint if exists patients_erased_no_phone_bidx;
alter table app.patients drop column if exists phone_bidx;
reset role;
