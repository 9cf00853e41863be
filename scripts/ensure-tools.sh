#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing, or says
# exactly what to install when it cannot (not root, no apt).
set -euo pipefail
need=()
command -v psql >/dev/null 2>&1 || need+=(postgresql-client)
# pdftotext checks the follow-up PDFs in followup/'s tests.
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# The voice path's tests and its embedded default: speech (flite, for the
# agent and the simulated callers; espeak-ng, the other engine the tests
# use) and offline recognition.
command -v flite >/dev/null 2>&1 || need+=(flite)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v pocketsphinx_continuous >/dev/null 2>&1 || need+=(pocketsphinx)
[ -d /usr/share/pocketsphinx/model/en-us ] || need+=(pocketsphinx-en-us)
# chromium drives the Web UI console test (cmd/frontdesk/console_test.go).
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  # Only needed when no Postgres answers on 127.0.0.1:5432.
  pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || need+=(postgresql)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "▸ installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "missing: ${need[*]} (Debian/Ubuntu: sudo apt-get install ${need[*]})" >&2
  exit 1
fi
