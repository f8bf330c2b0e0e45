# One venv in .venv, created on first use; every target works on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB := build/demo.db
CONFIG ?= $(if $(wildcard config/tracker.toml),config/tracker.toml,config/tracker.example.toml)

.PHONY: install test lint demo run bench migrate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check tracker tests
	$(BIN)/ruff format --check tracker tests

test: lint
	$(BIN)/pytest

demo: $(STAMP)
	mkdir -p build && rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/tracker replay examples/sales-day/result.json \
		--config examples/sales-day/tracker.toml --db sqlite:///$(DEMO_DB)
	@echo; echo "== tracker stats: 回复统计 =="
	$(BIN)/tracker stats --chat -1001987654321 --since 2026-11-23 \
		--config examples/sales-day/tracker.toml --db sqlite:///$(DEMO_DB)
	@echo; echo "== tracker export: 财务罚款表 (open it in Excel) =="
	$(BIN)/tracker export --month 2026-11 --format xlsx -o build/demo-fines-2026-11.xlsx \
		--config examples/sales-day/tracker.toml --db sqlite:///$(DEMO_DB)

run: $(STAMP)
	$(BIN)/tracker run --config $(CONFIG)

bench: $(STAMP)
	$(BIN)/python -m tests.bench.bench_acks
	$(BIN)/python -m tests.bench.bench_replay
	$(BIN)/python -m tests.bench.bench_deadlines
	$(BIN)/python -m tests.bench.bench_live
	$(BIN)/python -m tests.bench.bench_live_e2e
	$(BIN)/python -m tests.bench.bench_xlsx
	$(BIN)/python -m tests.bench.bench_reports
	$(BIN)/python -m tests.bench.bench_export_fuzz

migrate: $(STAMP)
	$(BIN)/tracker migrate --config $(CONFIG)

clean:
	rm -rf build $(VENV) .pytest_cache .ruff_cache .hypothesis
