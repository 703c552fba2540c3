# The two commands of the README: `make demo` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The designer's browser bundles (bpmn-js and dmn-js from the npm registry; built here, never committed).
BUNDLE := webapp/static/vendor/designer/modeler.js
TABLES := webapp/static/vendor/designer/tables.js
NPM_STAMP := node_modules/.installed
DESIGNER_SOURCES := $(wildcard webapp/static/designer/src/*) webapp/static/designer/spiffworkflow.json webapp/static/designer/build.mjs
# The compiled translation catalogue (build output: the app never compiles it at run time).
CATALOG := webapp/translations/zh_CN/LC_MESSAGES/messages.mo

.PHONY: install app fonts demo test check bench bench-http migration clean

# `app` is what the running app needs; the tests also need Chromium.
app: $(STAMP) $(BUNDLE) $(TABLES) $(CATALOG) fonts

install: app /usr/bin/chromium fonts

$(STAMP): pyproject.toml
	@# PostgreSQL server binaries, for the PostgreSQL tests (throwaway clusters in temp folders).
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

$(CATALOG): webapp/translations/zh_CN/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/python webapp/i18n.py

# Node.js and npm for the designer bundles (Debian's, when the machine has none).
$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund
	touch $(NPM_STAMP)

# One build writes every bundle (the modeler, the case diagram, the decision tables).
$(BUNDLE) $(TABLES) &: $(NPM_STAMP) $(DESIGNER_SOURCES)
	node webapp/static/designer/build.mjs

# Debian's Chromium (and a Chinese font for readable screenshots) for the browser tests;
# Playwright drives it by its path and never downloads a browser of its own.
/usr/bin/chromium:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei

# Chinese fonts for the documents' PDFs (WeasyPrint uses the system's fonts through fontconfig,
# and Pango to lay text out).
fonts:
	@ldconfig -p 2>/dev/null | grep -q libpangoft2 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fontconfig; }
	@fc-list :lang=zh family 2>/dev/null | grep -q . || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk fonts-wqy-zenhei; }

# The server and the scheduler side by side; Ctrl-C stops both.
demo: app
	TONGHU_ENV=demo $(BIN)/tonghu demo-data
	@TONGHU_ENV=demo; export TONGHU_ENV; \
	$(BIN)/tonghu worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/tonghu serve --port 5000 --workers 2

test: install
	$(BIN)/python -m pytest

check: app
	$(BIN)/tonghu check processes/

# Every benchmark in its full version, then one table of issue 13's figures (about an hour).
bench: app
	$(BIN)/python bench/run_all.py

bench-http: app
	$(BIN)/python bench/http_throughput.py

# A new migration from what the models add: `make migration m="add lockouts"` (review, then commit).
migration: app
	@test -n "$(m)" || { echo 'usage: make migration m="what the revision changes"'; exit 2; }
	rm -f instance/migration.sqlite
	DATABASE_URL=sqlite:///$(CURDIR)/instance/migration.sqlite $(BIN)/tonghu db upgrade
	DATABASE_URL=sqlite:///$(CURDIR)/instance/migration.sqlite $(BIN)/tonghu db revision -m "$(m)"
	rm -f instance/migration.sqlite

clean:
	rm -rf $(VENV) instance *.egg-info node_modules webapp/static/vendor
