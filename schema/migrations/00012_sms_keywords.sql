-- +goose Up
-- Inbound STOP/START replies, once each and in Twilio's order.
--
-- Twilio retries webhooks and anyone who captured one can replay it: a
-- replayed START must not undo a later STOP. Each reply is recorded once by
-- its MessageSid, and changes the opt-out only if no reply from the same
-- number to the same org is newer by Twilio's own timestamp (the message's
-- date_created, fetched from Twilio; arrival time without an account).
-- The number is kept as a SHA-256 of org and number, never in clear: the
-- table orders replies, it is not a contact list.

set local role frontdesk_owner;

create table app.sms_keywords (
  org_id       uuid not null references app.orgs (id),
  message_sid  text not null check (message_sid ~ '^(SM|MM)[0-9a-fA-F]{32}$'),
  phone_hash   text not null check (phone_hash ~ '^[0-9a-f]{64}$'),
  opted_out    boolean not null,
  sent_at      timestamptz not null,
  received_at  timestamptz not null default now(),
  primary key (org_id, message_sid)
);
create index sms_keywords_org_phone_idx on app.sms_keywords (org_id, phone_hash, sent_at desc);

alter table app.sms_keywords enable row level security;
alter table app.sms_keywords force row level security;
create policy tenant_select on app.sms_keywords for select to authenticated using (org_id = (select auth.org_id()));
create policy tenant_insert on app.sms_keywords for insert to authenticated with check (org_id = (select auth.org_id()));
create policy tenant_update on app.sms_keywords for update to authenticated using (org_id = (select auth.org_id())) with check (org_id = (select auth.org_id()));
create policy tenant_delete on app.sms_keywords for delete to authenticated using (org_id = (select auth.org_id()));
-- Written by the api's inbound SMS webhook only (erasure may delete).
create policy api_only_insert on app.sms_keywords as restrictive for insert to authenticated
  with check (org_id = (select auth.org_id()) and (select app.session_is_api()));
create policy api_only_update on app.sms_keywords as restrictive for update to authenticated
  using (org_id = (select auth.org_id()) and (select app.session_is_api()))
  with check (org_id = (select auth.org_id()) and (select app.session_is_api()));
grant select, insert, update, delete on app.sms_keywords to authenticated;

reset role;

-- +goose Down
set local role frontdesk_owner;
drop table app.sms_keywords;
reset role;
