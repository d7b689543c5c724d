PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= policykg-data
SEEDS ?= ../shared/seeds
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

CORPUS ?= ../shared/corpus/aesthetic

.PHONY: install demo corpus test test-fast lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# torch is pinned first: an unpinned torch pulls a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[st,test]' torch==2.13.0
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/policykg --data $(DATA) ingest $(SEEDS)
	$(BIN)/policykg --data $(DATA) documents
	@echo "HTTP ingest (POST /ingest) is $(if $(POLICYKG_TOKEN),on (POLICYKG_TOKEN is set),off): to turn it on, run"
	@echo "  make demo POLICYKG_TOKEN=<secret>   (then: curl -H 'Authorization: Bearer <secret>' -F files=@a.txt http://127.0.0.1:8000/ingest)"
	POLICYKG_TOKEN=$(POLICYKG_TOKEN) $(BIN)/policykg --data $(DATA) serve --host 127.0.0.1 --port 8000

# the second step: a real cross-region corpus (93 aesthetic-education documents); then `make demo`
corpus: install
	$(BIN)/policykg --data $(DATA) ingest $(CORPUS)

test: install
	$(BIN)/python -m pytest -q

# no server, workspace-building or browser tests
test-fast: install
	$(BIN)/python -m pytest -q -m "not slow and not browser"

lint: install
	$(BIN)/ruff check ingest kg embeddings api tests bench

clean:
	rm -rf $(DATA) .pytest_cache
