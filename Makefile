# Salesbot: `make run` (console chat on SQLite with demo data) and `make test` do all the set-up.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS ?= dev
ENGINE ?= rules
AS ?= 1
EVAL := ../shared/eval

.PHONY: run test test-sqlite eval bench setup system-deps clean help

help:
	@echo "make run      console chat as demo rep $(AS) (SQLite, demo data, no keys)"
	@echo "make test     the whole test suite on SQLite and a throwaway PostgreSQL"
	@echo "make eval     dev-set score of the $(ENGINE) engine"
	@echo "make bench    parse throughput/latency, cold start, RSS"

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "need $(PY) (Python 3.11)"; exit 2; }
	@[ -x $(BIN)/python ] || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[$(EXTRAS)]"
	@touch $(STAMP)

setup: $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

run: setup
	@$(BIN)/salesbot demo --if-empty
	@$(BIN)/salesbot chat --as $(AS)

test: setup system-deps
	$(BIN)/python -m pytest

test-sqlite: setup
	SALESBOT_SKIP_PG=1 $(BIN)/python -m pytest -m "not postgres"

eval: setup
	@mkdir -p var
	@$(BIN)/salesbot parse --engine $(ENGINE) --fixture $(EVAL)/fixture.json --batch $(EVAL)/dev.jsonl > var/dev-pred.jsonl
	@$(BIN)/python $(EVAL)/score.py $(EVAL)/dev.jsonl var/dev-pred.jsonl

bench: setup
	@$(BIN)/python scripts/bench_parse.py

clean:
	rm -rf $(VENV) var build *.egg-info
