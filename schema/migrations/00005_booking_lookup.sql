-- +goose Up
-- A call's bookings are looked up by CallSid (the staff API, the follow-up's
-- "booked meanwhile?" check); the index leads with org_id so the policy's
-- predicate and the lookup use it together.
set local role frontdesk_owner;
create index bookings_org_call_idx on app.bookings (org_id, call_sid);
reset role;

-- +goose Down
drop index app.bookings_org_call_idx;
