-- +goose Up
-- An audit log the database cannot rewrite unseen.
--
-- 1. Keyed chain. Each row's hash (00003) is sha256(prev_hash || canonical),
--    which anyone who can write the table can recompute. Each new row now
--    also carries mac = HMAC-SHA256(audit key, hash), sealed by the service
--    in the same transaction; the audit key is derived from the master key
--    (vault.DeriveAuditKey) and never reaches the database. Because hash
--    commits to every earlier row, a row's MAC vouches for the whole chain
--    up to it, including rows written before this migration.
-- 2. Rows are written only through app.audit_append, a SECURITY DEFINER
--    function that takes org and actor from the claims, and refuses an
--    action the login (api or worker, by session_user) or the claims' role
--    may not record (audit.actions), and oversized text.
-- 3. app.audit_heads gives the worker every chain's head (org, seq, hash,
--    mac) for the scheduled export to Temporal (AuditAnchor workflow), where
--    a database administrator cannot rewrite them.

create schema audit authorization frontdesk_owner;
set local role frontdesk_owner;

alter table app.audit_log
  add column mac bytea check (mac is null or length(mac) = 32),
  add column mac_key_id text check (mac_key_id ~ '^[A-Za-z0-9._:@/-]{1,255}$');

-- Which actions each login and claims role may record. Not tenant data, so
-- it lives outside schema app. Other migrations register their actions here.
create table audit.actions (
  action    text primary key check (action ~ '^[a-z_]{1,40}$'),
  by_api    boolean not null,
  by_worker boolean not null,
  -- claims roles allowed to record it; null: any role
  roles     text[],
  why       text not null
);
insert into audit.actions (action, by_api, by_worker, roles, why) values
  ('route',        false, true,  array['service'],                   'RecordTurn routes a field or turn to its class'),
  ('decrypt',      true,  true,  array['service', 'admin', 'staff'],  'stored personal data decrypted for someone'),
  ('erase',        true,  true,  array['admin', 'service'],           'a patient erased (admin request, or retention)'),
  ('key_rotate',   true,  true,  array['admin'],                      'frontdesk keys rotate'),
  ('codec_decode', true,  false, array['ops'],                        'Temporal payloads decoded through /codec'),
  ('codec_denied', true,  false, null,                                'a verified token without the ops role tried /codec');

revoke all on schema audit from public;
grant usage on schema audit to frontdesk_definer;
grant select on audit.actions to frontdesk_definer;

-- The definer functions below run as frontdesk_definer (not superuser, no
-- BYPASSRLS): it may insert rows, read them, and set a row's MAC once.
grant select, insert on app.audit_log to frontdesk_definer;
grant update (mac, mac_key_id) on app.audit_log to frontdesk_definer;
create policy definer_audit_select on app.audit_log for select to frontdesk_definer using (true);
create policy definer_audit_insert on app.audit_log for insert to frontdesk_definer with check (org_id = (select auth.org_id()));
create policy definer_audit_seal on app.audit_log for update to frontdesk_definer
  using (org_id = (select auth.org_id())) with check (org_id = (select auth.org_id()));
grant usage on schema auth to frontdesk_definer;
grant execute on function auth.jwt(), auth.org_id(), app.session_is_api(), app.session_is_worker(),
  app.audit_canonical(uuid, bigint, timestamptz, text, text, text, jsonb, text) to frontdesk_definer;

-- Services no longer insert directly.
drop policy tenant_insert on app.audit_log;
revoke insert on app.audit_log from authenticated;

-- Append-only, except for sealing: the one UPDATE allowed sets a missing
-- MAC, as frontdesk_definer (app.audit_seal), and changes nothing else.
-- +goose StatementBegin
create or replace function app.audit_log_append_only() returns trigger
  language plpgsql
  set search_path = pg_catalog, pg_temp
  as $$
begin
  if tg_op = 'UPDATE' and current_user = 'frontdesk_definer' and old.mac is null and new.mac is not null
     and (new.org_id, new.seq, new.at, new.actor, new.action, new.subject, new.detail, new.reason, new.prev_hash, new.hash, new.canonical)
         is not distinct from
         (old.org_id, old.seq, old.at, old.actor, old.action, old.subject, old.detail, old.reason, old.prev_hash, old.hash, old.canonical) then
    return new;
  end if;
  raise exception 'app.audit_log is append-only' using errcode = '42501';
end
$$;
-- +goose StatementEnd

reset role;

-- Appends one row to the org's chain and returns its seq and hash, which the
-- caller MACs and passes to app.audit_seal in the same transaction. Org and
-- actor are the claims' (p_org and p_actor, if given, must equal them).
-- +goose StatementBegin
create function app.audit_append(p_org uuid, p_action text, p_subject text, p_detail jsonb, p_reason text, p_actor text)
  returns table (seq bigint, hash bytea)
  language plpgsql volatile security definer
  set search_path = pg_catalog, pg_temp
  as $$
declare
  v_org  uuid := auth.org_id();
  v_sub  text := auth.jwt() ->> 'sub';
  v_role text := auth.jwt() ->> 'role';
  rule   audit.actions;
begin
  if v_org is null or coalesce(v_sub, '') = '' then
    raise exception 'audit: the claims carry no org or sub' using errcode = '42501';
  end if;
  if p_org is not null and p_org <> v_org then
    raise exception 'audit: the org is the claims'' org' using errcode = '42501';
  end if;
  if p_actor is not null and p_actor <> '' and p_actor <> v_sub then
    raise exception 'audit: the actor is the claims'' sub' using errcode = '42501';
  end if;
  select * into rule from audit.actions a where a.action = p_action;
  if not found then
    raise exception 'audit: action % is not registered in audit.actions', left(p_action, 40) using errcode = '42501';
  end if;
  if not ((rule.by_api and app.session_is_api()) or (rule.by_worker and app.session_is_worker())) then
    raise exception 'audit: this login may not record %', p_action using errcode = '42501';
  end if;
  if rule.roles is not null and not (coalesce(v_role, '') = any (rule.roles)) then
    raise exception 'audit: role % may not record %', left(coalesce(v_role, ''), 40), p_action using errcode = '42501';
  end if;
  if length(coalesce(p_subject, '')) > 200 or length(coalesce(p_reason, '')) > 500
     or length(coalesce(p_detail, '{}'::jsonb)::text) > 4096 or jsonb_typeof(coalesce(p_detail, '{}'::jsonb)) <> 'object' then
    raise exception 'audit: subject (200), reason (500) or detail (a JSON object of 4096 bytes) too long' using errcode = '22001';
  end if;
  return query
    insert into app.audit_log as l (org_id, actor, action, subject, detail, reason)
    values (v_org, v_sub, p_action, coalesce(p_subject, ''), coalesce(p_detail, '{}'::jsonb), coalesce(p_reason, ''))
    returning l.seq, l.hash;
end
$$;
-- +goose StatementEnd
alter function app.audit_append(uuid, text, text, jsonb, text, text) owner to frontdesk_definer;
revoke all on function app.audit_append(uuid, text, text, jsonb, text, text) from public;
grant execute on function app.audit_append(uuid, text, text, jsonb, text, text) to authenticated;

-- Sets the MAC of a row this transaction appended (and of no other row).
-- +goose StatementBegin
create function app.audit_seal(p_seq bigint, p_mac bytea, p_key_id text)
  returns void
  language plpgsql volatile security definer
  set search_path = pg_catalog, pg_temp
  as $$
begin
  update app.audit_log l set mac = p_mac, mac_key_id = p_key_id
   where l.org_id = auth.org_id() and l.seq = p_seq and l.mac is null
     and l.xmin = xid(pg_current_xact_id());
  if not found then
    raise exception 'audit: seq % is not an unsealed row of this transaction', p_seq using errcode = '42501';
  end if;
end
$$;
-- +goose StatementEnd
alter function app.audit_seal(bigint, bytea, text) owner to frontdesk_definer;
revoke all on function app.audit_seal(bigint, bytea, text) from public;
grant execute on function app.audit_seal(bigint, bytea, text) to authenticated;

-- Every chain's newest row, for the worker's scheduled export only.
-- +goose StatementBegin
create function app.audit_heads()
  returns table (org_id uuid, seq bigint, hash bytea, mac bytea, mac_key_id text)
  language plpgsql stable security definer
  set search_path = pg_catalog, pg_temp
  as $$
begin
  if not app.session_is_worker() then
    raise exception 'audit: only the worker exports chain heads' using errcode = '42501';
  end if;
  return query
    select distinct on (l.org_id) l.org_id, l.seq, l.hash, l.mac, l.mac_key_id
    from app.audit_log l order by l.org_id, l.seq desc;
end
$$;
-- +goose StatementEnd
alter function app.audit_heads() owner to frontdesk_definer;
revoke all on function app.audit_heads() from public;
grant execute on function app.audit_heads() to authenticated;

-- +goose Down
drop function app.audit_heads(), app.audit_seal(bigint, bytea, text), app.audit_append(uuid, text, text, jsonb, text, text);
set local role frontdesk_owner;
drop policy definer_audit_select on app.audit_log;
drop policy definer_audit_insert on app.audit_log;
drop policy definer_audit_seal on app.audit_log;
create policy tenant_insert on app.audit_log for insert to authenticated with check (org_id = (select auth.org_id()));
grant insert on app.audit_log to authenticated;
drop schema audit cascade;
alter table app.audit_log drop column mac, drop column mac_key_id;
reset role;
