-- +goose Up
-- The audit actions of the patient rights and retention work (00020), which
-- was written beside the keyed audit (00011): every action must be
-- registered, with who may record it.
insert into audit.actions (action, by_api, by_worker, roles, why) values
  ('patient_find',      true,  false, array['staff', 'admin'], 'a patient looked up by phone number through the staff API (found or not)'),
  ('patient_export',    true,  false, array['admin'],          'everything held about a patient exported for an Art. 15/20 request'),
  ('identity_mismatch', false, true,  array['service'],        'a caller''s spoken identifier did not match: the call stays unlinked'),
  ('retention_purge',   false, true,  array['service'],        'the daily retention run shredded and deleted turns past the clinic''s period')
on conflict (action) do nothing;

-- +goose Down
delete from audit.actions where action in ('patient_find', 'patient_export', 'identity_mismatch', 'retention_purge');
