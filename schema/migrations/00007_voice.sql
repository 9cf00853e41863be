-- +goose Up
-- What the voice agent needs of a clinic beyond its name: its opening hours
-- in words (said to callers, part of the system prompt) and the staff number
-- a call is handed to on transfer_to_staff. Neither is patient data.
set local role frontdesk_owner;

alter table app.clinics
  add column hours        text not null default '' check (length(hours) <= 200),
  add column staff_number text not null default '' check (staff_number = '' or staff_number ~ '^\+[1-9][0-9]{6,14}$');

reset role;

-- The demo clinics were seeded with a placeholder booking link, which the
-- follow-up SMS would have carried to a real phone. Without a booking URL
-- the SMS gives the clinic's number instead. (As the migrating superuser:
-- row-level security would hide every row from the owner role.)
update app.clinics set booking_url = '' where booking_url like 'https://book.example.org/%';

-- +goose Down
set local role frontdesk_owner;
alter table app.clinics drop column hours, drop column staff_number;
reset role;
