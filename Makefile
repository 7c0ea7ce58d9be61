# Regent's build. `make run` and `make test` are the two commands a fresh machine needs.
SHELL := /bin/bash
.DEFAULT_GOAL := build

GO        ?= go
NPM       ?= npm
BIN       := bin/regent
WEB_DIST  := backend/web/dist
UI_STAMP  := frontend/node_modules/.installed

.PHONY: run build ui go-build test go-test ui-test e2e bench clean

## run: build everything, seed the demo data into an empty database, serve on :8080
run: build
	./$(BIN) demo seed
	./$(BIN) serve

## build: the single static binary with the UI embedded
build: ui go-build

go-build:
	cd backend && CGO_ENABLED=0 $(GO) build -trimpath -ldflags='-s -w' -o ../$(BIN) ./cmd/regent

$(UI_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(NPM) ci --no-audit --no-fund
	touch $@

ui: $(UI_STAMP)
	cd frontend && $(NPM) run build
	find $(WEB_DIST) -mindepth 1 ! -name .keep -delete
	cp -R frontend/dist/. $(WEB_DIST)/

## test: every Go test (PostgreSQL too when REGENT_TEST_DATABASE_URL is set) and the UI's tests
test: go-test ui-test

go-test:
	cd backend && CGO_ENABLED=0 $(GO) vet ./... && CGO_ENABLED=0 $(GO) test -count=1 ./...

ui-test: $(UI_STAMP)
	cd frontend && $(NPM) run typecheck && $(NPM) test

## e2e: the browser journeys in the system Chromium against the built binary, on SQLite, and
## again on PostgreSQL when REGENT_E2E_DATABASE_URL names a database they may empty
e2e: build
	cd frontend && env -u REGENT_E2E_DATABASE_URL $(NPM) run e2e
	@if [ -n "$$REGENT_E2E_DATABASE_URL" ]; then echo "e2e: again on PostgreSQL"; cd frontend && $(NPM) run e2e; fi

## bench: benchmarks (figures go to docs/performance.md)
bench:
	cd backend && CGO_ENABLED=0 $(GO) test -run '^$$' -bench . -benchmem ./...
	@echo
	@echo "The load figures of docs/performance.md need PostgreSQL and a running server:"
	@echo "  make bench-data BENCH_DATABASE_URL='postgres://postgres@127.0.0.1:5432/regent_bench?sslmode=disable'"
	@echo "  REGENT_DATABASE_URL=... REGENT_ADDR=127.0.0.1:18181 REGENT_PUBLIC_URL=http://127.0.0.1:18181 REGENT_LOG_LEVEL=warn ./$(BIN) serve &"
	@echo "  ./bin/regent-bench load --url http://127.0.0.1:18181 --database-url ... --scenario tenants-search"
	@echo "  (scenarios: me, tenants-search, tenants-page, tenants-browse, employees-page; see docs/performance.md)"
	@echo "Impersonation (SQLite or PostgreSQL, demo data is enough; docs/performance-impersonation.md):"
	@echo "  ./bin/regent-bench load --url ... --database-url ... --scenario impersonated-employees|impersonation-start"
	@echo "  ./bin/regent-bench replicas --url http://127.0.0.1:18181 --url2 http://127.0.0.1:18182 --database-url ..."
	@echo "The audit trail at 10M events: generate-audit, load-audit, write-audit, export-audit (docs/performance-audit.md)"

## bench-data: migrate an empty PostgreSQL database (BENCH_DATABASE_URL) and generate 100,000
## tenants and 1,000,000 employees into it, on top of the demo data (about a minute)
.PHONY: bench-data
bench-data:
	@test -n "$(BENCH_DATABASE_URL)" || { echo "bench-data: set BENCH_DATABASE_URL=postgres://... (an empty database)"; exit 1; }
	cd backend && CGO_ENABLED=0 $(GO) build -trimpath -o ../bin/regent-bench ./cmd/regent-bench
	./bin/regent-bench generate --database-url '$(BENCH_DATABASE_URL)' --tenants 100000 --employees 1000000 --partners 200

clean:
	rm -rf bin frontend/dist
	find $(WEB_DIST) -mindepth 1 ! -name .keep -delete
