-- +goose Up
-- Slot holds and bookings: a caller's slot is held while the agent confirms,
-- exactly one caller wins a slot, and an expired hold is expired here, in
-- SQL, whether or not any worker is alive.
--
-- Concurrency control, in one place so every function follows it:
--   1. pg_advisory_xact_lock on the practitioner (key: a 64-bit hash of
--      'app.practitioners/<id>'), taken only after the slot was read through
--      row-level security, so a call can only queue on its own org's keys;
--   2. the slot row, SELECT ... FOR UPDATE, on the path that writes;
--   3. hold rows (update), then insert.
-- Every function that creates or consumes a hold takes (1) before anything
-- else. Overlapping slots of different lengths belong to one practitioner,
-- so two calls asking for a 30-minute and an overlapping 60-minute slot
-- queue on the same key, always in the same order: no deadlock, no waiting
-- on deadlock_timeout.
-- Why an advisory lock and not SELECT ... FOR UPDATE on the practitioner
-- row (tried first, measured with `frontdesk bench slots`): a row lock gives
-- every loser a transaction id, so each loser's commit waits for a WAL flush
-- while the next caller waits for it: N contenders make a chain of N fsyncs.
-- An advisory lock writes nothing; a loser reads the winner's hold, answers
-- conflict and commits read-only. One-slot latency fell 2-4x at 5, 50 and
-- 500 contenders. A hash collision between two practitioners only makes them
-- queue behind each other, never wrong.
-- The exclusion constraints below are the last line of defence, never the
-- concurrency control: an exclusion constraint alone deadlocks under
-- simultaneous inserts by design.
--
-- lock_timeout is set on each function (2s): a stuck lock becomes SQLSTATE
-- 55P03, which the activities map to a non-retryable slot conflict, instead of
-- a caller waiting on a deadlock or a long transaction.

set local role frontdesk_owner;

create table app.holds (
  id              uuid primary key default gen_random_uuid(),
  org_id          uuid not null,
  clinic_id       uuid not null,
  slot_id         uuid not null,
  practitioner_id uuid not null,
  -- A copy of the slot's range, so the overlap rules need no join.
  during          tstzrange not null,
  call_sid        text not null check (call_sid ~ '^CA[0-9a-fA-F]{32}$'),
  created_at      timestamptz not null default now(),
  expires_at      timestamptz not null,
  -- Holds are marked, not deleted, so a late confirm can be told "expired"
  -- rather than "not found". A hold is live while released_at is null and
  -- expires_at is in the future.
  released_at     timestamptz,
  release_reason  text check (release_reason in ('released', 'expired', 'replaced', 'booked', 'call_ended')),
  check ((released_at is null) = (release_reason is null)),
  unique (org_id, id),
  foreign key (org_id, clinic_id) references app.clinics (org_id, id),
  foreign key (org_id, slot_id) references app.slots (org_id, id),
  foreign key (org_id, practitioner_id) references app.practitioners (org_id, id),
  -- Last line of defence: two unreleased holds never overlap for one
  -- practitioner. lock_slot marks stale holds expired before it inserts.
  constraint holds_no_overlap exclude using gist (org_id with =, practitioner_id with =, during with &&)
    where (released_at is null)
);
create index holds_org_slot_idx on app.holds (org_id, slot_id);
create index holds_org_call_idx on app.holds (org_id, call_sid) where released_at is null;
create index holds_expiry_idx on app.holds (expires_at) where released_at is null;

create table app.bookings (
  id              uuid primary key default gen_random_uuid(),
  org_id          uuid not null,
  clinic_id       uuid not null,
  slot_id         uuid not null,
  practitioner_id uuid not null,
  procedure_id    uuid not null,
  during          tstzrange not null check (not isempty(during)),
  call_sid        text not null,
  hold_id         uuid unique,
  created_at      timestamptz not null default now(),
  cancelled_at    timestamptz,
  unique (org_id, id),
  foreign key (org_id, clinic_id) references app.clinics (org_id, id),
  foreign key (org_id, slot_id) references app.slots (org_id, id),
  foreign key (org_id, practitioner_id) references app.practitioners (org_id, id),
  foreign key (org_id, procedure_id) references app.procedures (org_id, id),
  foreign key (org_id, hold_id) references app.holds (org_id, id),
  -- Last line of defence against the failure clinics fear most.
  constraint bookings_no_overlap exclude using gist (org_id with =, practitioner_id with =, during with &&)
    where (cancelled_at is null)
);
create index bookings_org_day_idx on app.bookings (org_id, clinic_id, lower(during));

-- +goose StatementBegin
do $$
declare
  t text;
begin
  foreach t in array array['holds', 'bookings'] loop
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

-- open_slots is the one definition of "free": not blocked, starting in the
-- future, long enough, and overlapped by no live hold and no active booking
-- of the same practitioner (so a hold on a 30-minute slot hides an
-- overlapping 60-minute one). SECURITY INVOKER: row-level security keeps it
-- inside the caller's org.
create function app.open_slots(clinic_id uuid, from_time timestamptz, to_time timestamptz, min_minutes int)
  returns table (slot_id uuid, practitioner_id uuid, starts_at timestamptz, ends_at timestamptz)
  language sql stable security invoker
  set search_path = pg_catalog, pg_temp
  as $$
    select s.id, s.practitioner_id, lower(s.during), upper(s.during)
    from app.slots s
    where s.clinic_id = $1
      and not s.blocked
      and lower(s.during) > now()
      and lower(s.during) >= $2
      and lower(s.during) < $3
      and upper(s.during) - lower(s.during) >= make_interval(mins => greatest($4, 1))
      and not exists (
        select from app.holds h
        where h.org_id = s.org_id and h.practitioner_id = s.practitioner_id and h.during && s.during
          and h.released_at is null and h.expires_at > now())
      and not exists (
        select from app.bookings b
        where b.org_id = s.org_id and b.practitioner_id = s.practitioner_id and b.during && s.during
          and b.cancelled_at is null)
    order by lower(s.during), s.practitioner_id
  $$;

-- free_slots lists a day's free slots (the day in the clinic's time zone)
-- long enough for the procedure; a null procedure means any length.
create function app.free_slots(clinic_id uuid, day date, procedure_id uuid)
  returns table (slot_id uuid, practitioner_id uuid, starts_at timestamptz, ends_at timestamptz)
  language sql stable security invoker
  set search_path = pg_catalog, pg_temp
  as $$
    select o.*
    from app.clinics c
    cross join lateral app.open_slots(c.id,
      ($2::timestamp) at time zone c.timezone,
      (($2 + 1)::timestamp) at time zone c.timezone,
      coalesce((select p.duration_minutes from app.procedures p where p.id = $3 and p.clinic_id = c.id), 1)) o
    where c.id = $1
  $$;

-- nearest_free_slots offers alternatives to a taken slot: free slots of the
-- same clinic within a fortnight either side, long enough for the procedure
-- (or, without one, as long as the slot asked for), nearest in time first.
create function app.nearest_free_slots(slot_id uuid, procedure_id uuid, max_results int)
  returns table (slot_id uuid, practitioner_id uuid, starts_at timestamptz, ends_at timestamptz)
  language sql stable security invoker
  set search_path = pg_catalog, pg_temp
  as $$
    select o.*
    from app.slots s
    cross join lateral app.open_slots(s.clinic_id,
      lower(s.during) - interval '14 days',
      lower(s.during) + interval '14 days',
      coalesce((select p.duration_minutes from app.procedures p where p.id = $2 and p.clinic_id = s.clinic_id),
               (extract(epoch from upper(s.during) - lower(s.during)) / 60)::int)) o
    where s.id = $1 and o.slot_id <> s.id
    order by abs(extract(epoch from o.starts_at - lower(s.during))), o.starts_at, o.practitioner_id
    limit greatest(0, least($3, 50))
  $$;

-- lock_slot holds a slot for one call, in one round trip. Answers:
--   held       the hold is this call's (a repeat ask extends it);
--   conflict   another call holds or has booked the slot, an overlapping
--              slot of the practitioner, or the slot is blocked;
--   not_found  no such slot in the caller's org (row-level security);
--   expired    the slot has already started.
-- A call holds at most one slot: a new hold gives back the call's others.
-- +goose StatementBegin
create function app.lock_slot(slot_id uuid, call_sid text, hold_seconds int)
  returns table (status text, hold_id uuid, expires_at timestamptz)
  language plpgsql volatile security invoker
  set search_path = pg_catalog, pg_temp
  set lock_timeout = '2s'
  as $$
#variable_conflict use_column
declare
  v_slot app.slots%rowtype;
  v_now timestamptz;
  v_mine uuid;
  v_until timestamptz;
  v_extended timestamptz;
begin
  if hold_seconds is null or hold_seconds not between 1 and 900 then
    raise exception 'hold_seconds must be between 1 and 900, got %', hold_seconds using errcode = '22023';
  end if;
  if lock_slot.call_sid is null or lock_slot.call_sid !~ '^CA[0-9a-fA-F]{32}$' then
    raise exception 'call_sid is not a Twilio CallSid' using errcode = '22023';
  end if;
  if lock_slot.slot_id is null then
    raise exception 'slot_id is required' using errcode = '22023';
  end if;

  select s.* into v_slot from app.slots s where s.id = lock_slot.slot_id;
  if not found then
    return query select 'not_found'::text, null::uuid, null::timestamptz;
    return;
  end if;
  perform pg_advisory_xact_lock(hashtextextended('app.practitioners/' || v_slot.practitioner_id::text, 0));
  -- Read again under the lock: the slot may have been blocked meanwhile.
  select s.* into v_slot from app.slots s where s.id = lock_slot.slot_id;
  if not found then
    return query select 'not_found'::text, null::uuid, null::timestamptz;
    return;
  end if;
  -- now() is the transaction's start; after waiting for the locks, decide on
  -- the time the decision is made.
  v_now := clock_timestamp();

  if lower(v_slot.during) <= v_now then
    return query select 'expired'::text, null::uuid, null::timestamptz;
    return;
  end if;
  if v_slot.blocked then
    return query select 'conflict'::text, null::uuid, null::timestamptz;
    return;
  end if;
  if exists (select from app.bookings b
             where b.org_id = v_slot.org_id and b.practitioner_id = v_slot.practitioner_id
               and b.during && v_slot.during and b.cancelled_at is null) then
    return query select 'conflict'::text, null::uuid, null::timestamptz;
    return;
  end if;

  -- Lazy expiry: stale holds of this practitioner stop counting.
  update app.holds h set released_at = h.expires_at, release_reason = 'expired'
  where h.org_id = v_slot.org_id and h.practitioner_id = v_slot.practitioner_id
    and h.released_at is null and h.expires_at <= v_now;

  if exists (select from app.holds h
             where h.org_id = v_slot.org_id and h.practitioner_id = v_slot.practitioner_id
               and h.during && v_slot.during and h.released_at is null
               and h.call_sid <> lock_slot.call_sid) then
    return query select 'conflict'::text, null::uuid, null::timestamptz;
    return;
  end if;

  -- This caller will write: hold the slot row against concurrent edits
  -- (blocking, deletion) until the hold is in.
  perform from app.slots s where s.id = v_slot.id for update;
  v_until := v_now + make_interval(secs => hold_seconds);
  update app.holds h set expires_at = greatest(h.expires_at, v_until)
  where h.org_id = v_slot.org_id and h.slot_id = v_slot.id and h.call_sid = lock_slot.call_sid
    and h.released_at is null
  returning h.id, h.expires_at into v_mine, v_extended;
  v_until := coalesce(v_extended, v_until);

  -- The call's other holds (another slot, or an overlapping one of this
  -- practitioner) are given back.
  update app.holds h set released_at = v_now, release_reason = 'replaced'
  where h.org_id = v_slot.org_id and h.call_sid = lock_slot.call_sid and h.released_at is null
    and h.id is distinct from v_mine;

  if v_mine is null then
    insert into app.holds (org_id, clinic_id, slot_id, practitioner_id, during, call_sid, created_at, expires_at)
    values (v_slot.org_id, v_slot.clinic_id, v_slot.id, v_slot.practitioner_id, v_slot.during, lock_slot.call_sid, v_now, v_until)
    returning id into v_mine;
  end if;
  return query select 'held'::text, v_mine, v_until;
end
$$;
-- +goose StatementEnd

-- confirm_booking turns a live hold into a booking with a compare-and-set on
-- the hold (live, this call's) under the same locks as lock_slot. Answers:
--   booked     (again, with the same booking, when a retry repeats it);
--   expired    the hold expired or was released;
--   not_found  no such hold, or the procedure is not this clinic's;
--   not_yours  the hold belongs to another call.
-- +goose StatementBegin
create function app.confirm_booking(hold_id uuid, call_sid text, procedure_id uuid)
  returns table (status text, booking_id uuid)
  language plpgsql volatile security invoker
  set search_path = pg_catalog, pg_temp
  set lock_timeout = '2s'
  as $$
#variable_conflict use_column
declare
  v_hold app.holds%rowtype;
  v_minutes int;
  v_now timestamptz;
  v_booking uuid;
begin
  if confirm_booking.hold_id is null or confirm_booking.procedure_id is null then
    raise exception 'hold_id and procedure_id are required' using errcode = '22023';
  end if;
  if confirm_booking.call_sid is null or confirm_booking.call_sid !~ '^CA[0-9a-fA-F]{32}$' then
    raise exception 'call_sid is not a Twilio CallSid' using errcode = '22023';
  end if;

  select h.* into v_hold from app.holds h where h.id = confirm_booking.hold_id;
  if not found then
    return query select 'not_found'::text, null::uuid;
    return;
  end if;
  if v_hold.call_sid <> confirm_booking.call_sid then
    return query select 'not_yours'::text, null::uuid;
    return;
  end if;
  if v_hold.release_reason = 'booked' then
    -- A retried confirm: same answer, no second booking.
    return query select 'booked'::text, b.id from app.bookings b where b.hold_id = v_hold.id;
    return;
  end if;
  select p.duration_minutes into v_minutes from app.procedures p
  where p.id = confirm_booking.procedure_id and p.clinic_id = v_hold.clinic_id;
  if not found then
    return query select 'not_found'::text, null::uuid;
    return;
  end if;
  if make_interval(mins => v_minutes) > upper(v_hold.during) - lower(v_hold.during) then
    raise exception 'the procedure takes % minutes, longer than the slot', v_minutes using errcode = '22023';
  end if;

  perform pg_advisory_xact_lock(hashtextextended('app.practitioners/' || v_hold.practitioner_id::text, 0));
  perform from app.slots s where s.id = v_hold.slot_id for update;
  v_now := clock_timestamp();

  -- The compare-and-set: only a live hold of this call becomes a booking.
  update app.holds h set released_at = v_now, release_reason = 'booked'
  where h.id = v_hold.id and h.call_sid = confirm_booking.call_sid
    and h.released_at is null and h.expires_at > v_now;
  if not found then
    update app.holds h set released_at = h.expires_at, release_reason = 'expired'
    where h.id = v_hold.id and h.released_at is null and h.expires_at <= v_now;
    return query select 'expired'::text, null::uuid;
    return;
  end if;
  insert into app.bookings (org_id, clinic_id, slot_id, practitioner_id, procedure_id, during, call_sid, hold_id)
  values (v_hold.org_id, v_hold.clinic_id, v_hold.slot_id, v_hold.practitioner_id, confirm_booking.procedure_id,
          v_hold.during, v_hold.call_sid, v_hold.id)
  returning id into v_booking;
  return query select 'booked'::text, v_booking;
end
$$;
-- +goose StatementEnd

-- release_hold gives a hold back early. Answers released, not_held (already
-- expired, released or booked), not_found or not_yours. Only the hold row is
-- locked, and nothing else is waited for after it, so it cannot take part in
-- a deadlock with lock_slot or confirm_booking.
-- +goose StatementBegin
create function app.release_hold(hold_id uuid, call_sid text)
  returns text
  language plpgsql volatile security invoker
  set search_path = pg_catalog, pg_temp
  set lock_timeout = '2s'
  as $$
#variable_conflict use_column
declare
  v_owner text;
begin
  if release_hold.hold_id is null then
    raise exception 'hold_id is required' using errcode = '22023';
  end if;
  update app.holds h set released_at = clock_timestamp(), release_reason = 'released'
  where h.id = release_hold.hold_id and h.call_sid = release_hold.call_sid
    and h.released_at is null and h.expires_at > clock_timestamp();
  if found then
    return 'released';
  end if;
  select h.call_sid into v_owner from app.holds h where h.id = release_hold.hold_id;
  if not found then
    return 'not_found';
  elsif v_owner <> release_hold.call_sid then
    return 'not_yours';
  end if;
  return 'not_held';
end
$$;
-- +goose StatementEnd

-- release_call_holds gives back every live hold of a call that has ended,
-- including one the workflow never heard of; returns how many.
create function app.release_call_holds(call_sid text)
  returns int
  language sql volatile security invoker
  set search_path = pg_catalog, pg_temp
  set lock_timeout = '2s'
  as $$
    with released as (
      update app.holds h set released_at = clock_timestamp(), release_reason = 'call_ended'
      where h.call_sid = $1 and h.released_at is null and h.expires_at > clock_timestamp()
      returning 1)
    select count(*)::int from released
  $$;

revoke all on function app.open_slots(uuid, timestamptz, timestamptz, int) from public;
revoke all on function app.free_slots(uuid, date, uuid) from public;
revoke all on function app.nearest_free_slots(uuid, uuid, int) from public;
revoke all on function app.lock_slot(uuid, text, int) from public;
revoke all on function app.confirm_booking(uuid, text, uuid) from public;
revoke all on function app.release_hold(uuid, text) from public;
revoke all on function app.release_call_holds(text) from public;
grant execute on function app.open_slots(uuid, timestamptz, timestamptz, int), app.free_slots(uuid, date, uuid),
  app.nearest_free_slots(uuid, uuid, int), app.lock_slot(uuid, text, int), app.confirm_booking(uuid, text, uuid),
  app.release_hold(uuid, text), app.release_call_holds(text) to authenticated;

-- The sweeper crosses tenants: it marks expired holds of every org. Its role
-- may read only the columns that decide expiry (no call_sid) and write only
-- the two that mark a hold released, and its policy lets it touch nothing but
-- unreleased holds whose time is up.
grant select (id, org_id, expires_at, released_at) on app.holds to frontdesk_definer;
grant update (released_at, release_reason) on app.holds to frontdesk_definer;
create policy definer_sweep_select on app.holds for select to frontdesk_definer using (true);
create policy definer_sweep_update on app.holds for update to frontdesk_definer
  using (released_at is null and expires_at <= now())
  with check (release_reason = 'expired');

reset role;
-- SKIP LOCKED: a hold that lock_slot or confirm_booking is working on right
-- now is theirs to settle, and the sweeper never waits.
-- +goose StatementBegin
create function app.sweep_expired_holds()
  returns int
  language sql volatile security definer
  set search_path = pg_catalog, pg_temp
  as $$
    with due as (
      select h.id from app.holds h
      where h.released_at is null and h.expires_at <= now()
      for update skip locked),
    swept as (
      update app.holds h set released_at = h.expires_at, release_reason = 'expired'
      from due where h.id = due.id
      returning 1)
    select count(*)::int from swept
  $$;
-- +goose StatementEnd
alter function app.sweep_expired_holds() owner to frontdesk_definer;
revoke all on function app.sweep_expired_holds() from public;
grant execute on function app.sweep_expired_holds() to authenticated;

-- +goose Down
drop function if exists app.sweep_expired_holds();
drop function if exists app.release_call_holds(text);
drop function if exists app.release_hold(uuid, text);
drop function if exists app.confirm_booking(uuid, text, uuid);
drop function if exists app.lock_slot(uuid, text, int);
drop function if exists app.nearest_free_slots(uuid, uuid, int);
drop function if exists app.free_slots(uuid, date, uuid);
drop function if exists app.open_slots(uuid, timestamptz, timestamptz, int);
drop table if exists app.bookings;
drop table if exists app.holds;
