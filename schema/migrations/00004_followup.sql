-- +goose Up
-- Follow-up SMS for callers who hang up unbooked: the caller's number (the
-- only contact data, clear but RLS-protected, never in Temporal), the cached
-- preparation PDFs, the SMS outbox that makes sending exactly-once, and the
-- opt-outs that STOP replies maintain.

set local role frontdesk_owner;

-- Per clinic: how long after an unbooked call the follow-up waits (0 = at
-- once), and whether the PDF goes as MMS media too. MMS is off by default:
-- outside the US and Canada Twilio turns it into an SMS with a link anyway,
-- and several carriers drop PDF media.
alter table app.clinics
  add column followup_delay_seconds int not null default 0 check (followup_delay_seconds between 0 and 604800),
  add column followup_mms boolean not null default false;

-- The caller's number of a call, written by the api at the incoming-call
-- webhook. Keyed by CallSid so workflows and activities carry only the sid.
create table app.call_contacts (
  org_id        uuid not null,
  call_sid      text not null check (call_sid ~ '^CA[0-9a-fA-F]{32}$'),
  clinic_id     uuid not null,
  caller_phone  text not null check (caller_phone ~ '^\+[1-9][0-9]{6,14}$'),
  created_at    timestamptz not null default now(),
  primary key (org_id, call_sid),
  foreign key (org_id, clinic_id) references app.clinics (org_id, id)
);
-- "Has this caller booked by other means?" and opt-out checks go by number.
create index call_contacts_org_phone_idx on app.call_contacts (org_id, caller_phone);

-- Rendered preparation guides, one per procedure version. In Postgres rather
-- than on disk: the worker renders and the api serves, possibly on other
-- machines, and the rows inherit the tenant's row-level security. A
-- catalogue edit bumps app.procedures.version, so a link always serves the
-- version that was sent.
create table app.procedure_documents (
  org_id        uuid not null,
  procedure_id  uuid not null,
  version       int not null,
  content_type  text not null default 'application/pdf',
  body          bytea not null,
  sha256        text not null,
  rendered_at   timestamptz not null default now(),
  primary key (org_id, procedure_id, version),
  foreign key (org_id, procedure_id) references app.procedures (org_id, id)
);

-- One row per intended message, written before Twilio is called: the unique
-- (org_id, call_sid, purpose) key is the idempotency key Twilio's API lacks.
-- status: pending (written, not yet confirmed by Twilio), logged (no Twilio
-- account configured), failed (refused, error_code set), then Twilio's own
-- statuses from the status callback (queued, sent, delivered, ...).
create table app.sms_outbox (
  id             uuid primary key default gen_random_uuid(),
  org_id         uuid not null,
  clinic_id      uuid not null,
  call_sid       text not null check (call_sid ~ '^CA[0-9a-fA-F]{32}$'),
  purpose        text not null check (purpose in ('followup')),
  status         text not null check (status in ('pending', 'logged', 'failed', 'accepted', 'scheduled', 'queued',
                   'sending', 'sent', 'delivered', 'undelivered', 'receiving', 'received', 'read', 'canceled')),
  -- What was (or will be) sent, so a retry repeats exactly the same message
  -- and can recognise it in Twilio's message list. No health data: the body
  -- names the clinic and carries links only.
  body           text not null,
  media_url      text,
  message_sid    text check (message_sid ~ '^(SM|MM)[0-9a-fA-F]{32}$'),
  error_code     int,
  attempts       int not null default 0,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  unique (org_id, id),
  foreign key (org_id, clinic_id) references app.clinics (org_id, id)
);
create unique index sms_outbox_key_idx on app.sms_outbox (org_id, call_sid, purpose);
-- Not unique across orgs: a unique error must not reveal another tenant's row.
create index sms_outbox_sid_idx on app.sms_outbox (org_id, message_sid) where message_sid is not null;

-- Numbers that replied STOP to one of the org's clinics. Per org because the
-- clinic owning the dialled number decides the tenant.
create table app.sms_opt_outs (
  org_id        uuid not null references app.orgs (id),
  phone         text not null check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  opted_out_at  timestamptz not null default now(),
  primary key (org_id, phone)
);

-- +goose StatementBegin
do $$
declare
  t text;
begin
  foreach t in array array['call_contacts', 'procedure_documents', 'sms_outbox', 'sms_opt_outs'] loop
    execute format('alter table app.%I enable row level security', t);
    execute format('alter table app.%I force row level security', t);
    execute format('create policy tenant_select on app.%I for select to authenticated using (org_id = (select auth.org_id()))', t);
    execute format('create policy tenant_insert on app.%I for insert to authenticated with check (org_id = (select auth.org_id()))', t);
    execute format('create policy tenant_update on app.%I for update to authenticated using (org_id = (select auth.org_id())) with check (org_id = (select auth.org_id()))', t);
    execute format('create policy tenant_delete on app.%I for delete to authenticated using (org_id = (select auth.org_id()))', t);
    execute format('grant select, insert, update, delete on app.%I to authenticated', t);
  end loop;
end
$$;
-- +goose StatementEnd

reset role;

-- +goose Down
set local role frontdesk_owner;
drop table if exists app.sms_opt_outs;
drop table if exists app.sms_outbox;
drop table if exists app.procedure_documents;
drop table if exists app.call_contacts;
alter table app.clinics drop column if exists followup_mms, drop column if exists followup_delay_seconds;
