-- +goose Up
-- The database trust boundary between the api and the worker.
--
-- Claims (request.jwt.claims) are set by the client, as in Supabase: whoever
-- holds a login can claim any org and any role. What a login cannot change
-- is session_user, the role it logged in as (SET ROLE changes current_user
-- only; SET SESSION AUTHORIZATION needs a superuser). So the credential is
-- the boundary: the api's and the worker's logins are members of different
-- NOLOGIN roles, frontdesk_api and frontdesk_worker (created by `frontdesk
-- migrate`, schema/schema.go), and RESTRICTIVE policies keyed on
-- session_user keep each service's writes to itself. A leaked api
-- credential can still act as any org through the api's own writes; it
-- cannot record calls, turns, patients or outgoing SMS, which only the
-- worker writes. `frontdesk dev` and the tests log in with one role that is
-- a member of both.

set local role frontdesk_owner;

-- session_user's service. STABLE and wrapped in (select ...) by the
-- policies, so it is evaluated once per statement, not per row.
create function app.session_is_worker() returns boolean
  language sql stable
  set search_path = pg_catalog, pg_temp
  as $$ select pg_has_role(session_user, 'frontdesk_worker', 'MEMBER') $$;
create function app.session_is_api() returns boolean
  language sql stable
  set search_path = pg_catalog, pg_temp
  as $$ select pg_has_role(session_user, 'frontdesk_api', 'MEMBER') $$;
grant execute on function app.session_is_worker(), app.session_is_api() to authenticated;

-- Writes only the worker makes: call rows and their status, transcript
-- turns, new patients and their links to calls, outgoing SMS, rendered
-- guides.
-- +goose StatementBegin
do $$
declare
  w record;
begin
  for w in select * from (values
      ('calls', 'insert'), ('calls', 'update'), ('calls', 'delete'),
      ('call_turns', 'insert'),
      ('patients', 'insert'),
      ('call_patients', 'insert'),
      ('sms_outbox', 'insert'),
      ('procedure_documents', 'insert'), ('procedure_documents', 'update'), ('procedure_documents', 'delete')
    ) as v(tbl, cmd) loop
    case w.cmd
      when 'insert' then execute format('create policy worker_only_insert on app.%I as restrictive for insert to authenticated
        with check (org_id = (select auth.org_id()) and (select app.session_is_worker()))', w.tbl);
      when 'update' then execute format('create policy worker_only_update on app.%I as restrictive for update to authenticated
        using (org_id = (select auth.org_id()) and (select app.session_is_worker()))
        with check (org_id = (select auth.org_id()) and (select app.session_is_worker()))', w.tbl);
      when 'delete' then execute format('create policy worker_only_delete on app.%I as restrictive for delete to authenticated
        using (org_id = (select auth.org_id()) and (select app.session_is_worker()))', w.tbl);
    end case;
  end loop;
end
$$;
-- +goose StatementEnd

-- Writes only the api makes: the caller's number at the incoming-call
-- webhook.
create policy api_only_insert on app.call_contacts as restrictive for insert to authenticated
  with check (org_id = (select auth.org_id()) and (select app.session_is_api()));
create policy api_only_update on app.call_contacts as restrictive for update to authenticated
  using (org_id = (select auth.org_id()) and (select app.session_is_api()))
  with check (org_id = (select auth.org_id()) and (select app.session_is_api()));

reset role;

-- +goose Down
set local role frontdesk_owner;
drop policy api_only_insert on app.call_contacts;
drop policy api_only_update on app.call_contacts;
-- +goose StatementBegin
do $$
declare
  p record;
begin
  for p in select tablename, policyname from pg_policies where schemaname = 'app' and policyname like 'worker_only_%' loop
    execute format('drop policy %I on app.%I', p.policyname, p.tablename);
  end loop;
end
$$;
-- +goose StatementEnd
drop function app.session_is_worker(), app.session_is_api();
reset role;
