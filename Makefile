# The two commands of the README: `make demo` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test check bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@# PostgreSQL server binaries, for the PostgreSQL tests (throwaway clusters in temp folders).
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: install
	$(BIN)/tonghu demo-data
	$(BIN)/tonghu serve --port 5000

test: install
	$(BIN)/python -m pytest

check: install
	$(BIN)/tonghu check processes/

clean:
	rm -rf $(VENV) instance *.egg-info
