# frontdesk: `make dev` runs the whole system, `make test` passes the tests.
# Both build what they need first; see README.md.

SHELL := /bin/bash
GO ?= go
FRONTDESK_CACHE ?= $(HOME)/.cache/frontdesk
TEMPORAL_VERSION := v1.5.1
TEMPORAL_BIN := $(FRONTDESK_CACHE)/bin/temporal
export FRONTDESK_CACHE
export FRONTDESK_TEMPORAL_BIN := $(TEMPORAL_BIN)

.PHONY: dev test build temporal tools record-histories bench-slots clean

## dev: Temporal dev server + Web UI, Postgres, migrations, demo data, worker and api.
dev: build temporal
	./bin/frontdesk dev

## test: unit, replay and integration tests against the real Temporal dev server and Postgres.
## The browser test keeps its screenshots in $(FRONTDESK_TEST_ARTIFACTS)/webui.
test: export FRONTDESK_TEST_ARTIFACTS ?= $(CURDIR)/.test-artifacts
test: build temporal tools
	$(GO) vet ./...
	@echo "▸ workflowcheck: static determinism check of the workflow code"
	$(GO) run go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0 ./...
	$(GO) test -count=1 -timeout 25m ./...
	@echo "▸ fuzzing each parser of outside input briefly (seed corpora in testdata/fuzz)"
	@set -e; for target in $(FUZZ_TARGETS); do \
	  pkg=$${target%%:*}; name=$${target##*:}; \
	  $(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZ_TIME) $$pkg; \
	done
	@echo "▸ test artifacts (Web UI screenshots): $(FRONTDESK_TEST_ARTIFACTS)/webui"

build:
	@mkdir -p bin
	$(GO) build -o bin/frontdesk ./cmd/frontdesk

## temporal: the Temporal CLI (dev server + Web UI), built once into a cache outside the clone.
temporal: $(TEMPORAL_BIN)

$(TEMPORAL_BIN):
	@echo "▸ building the Temporal CLI $(TEMPORAL_VERSION) into $(dir $@) (first time only: about 9 minutes on 2 cores; each line below is a package done)"
	@mkdir -p $(dir $@)
	@start=$$(date +%s); \
	GOBIN=$(dir $@) $(GO) install -v github.com/temporalio/cli/cmd/temporal@$(TEMPORAL_VERSION) 2>&1 \
	  | awk -v s=$$start '{ n++; printf "\r  %4d packages compiled, %3ds  ", n, systime()-s; fflush() } END { print "" }'; \
	test -x $@ || { echo "the Temporal CLI build failed: run 'go install github.com/temporalio/cli/cmd/temporal@$(TEMPORAL_VERSION)' to see why"; exit 1; }
	@echo "▸ Temporal CLI ready: $@"

## tools: Debian packages the tests use, installed when missing.
tools:
	@./scripts/ensure-tools.sh

## record-histories: re-record the replay tests' histories from a real run.
record-histories: build temporal
	FRONTDESK_RECORD_HISTORY=$(CURDIR)/workflows/testdata $(GO) test -count=1 -run '$(RECORDING_TESTS)' ./api/

# Fuzz targets run by `make test`, as package:Name.
FUZZ_TARGETS := ./voice/media:FuzzParse ./voice/chunk:FuzzChunker ./pii:FuzzValidators ./pii:FuzzDetect ./api:FuzzTwilioWebhook ./api:FuzzVerifyJWT ./api:FuzzDocumentLink
# A count, not a duration: Go 1.26's fuzz coordinator can report a spurious
# "context deadline exceeded" when a -fuzztime duration expires while a
# worker is mid-call (golang/go#75804, fixed in Go 1.27); a count has no
# deadline to race. 10,000 inputs take 1-6 s per target here.
FUZZ_TIME ?= 10000x

# The integration tests that record a history each: every path a call can take.
RECORDING_TESTS := TestCallLifecycleThroughSignedWebhooks|TestBookedCallThroughSignedWebhooks|TestCallWithMedicalTalkLeavesNothingInClear|TestFollowUpSMSAfterAnUnbookedCall|TestLostFinalCallbackIsRecoveredThroughTwilio|TestHeldSlotExpiresBeforeTheConfirm|TestFollowUpRefusedByTwilio|TestForgedTenantIsRejected|TestTurnRetriesAreDeduplicatedAndErasureMidCall|TestRetentionScheduleRemovesWhatIsPastRetention|TestVoiceCallBooksASlot

clean:
	rm -rf bin .dev
