# Two commands set everything up: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CATALOGS := $(wildcard locales/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

export OSALLISTU_HOST ?= 127.0.0.1
export OSALLISTU_PORT ?= 8000

.PHONY: run test test-faults lint typecheck catalogs extract update-catalogs bench install clean

run: install catalogs ## Install, migrate, load demo data and serve the web chat and staff area
	OSALLISTU_DEV_MODE=1 $(BIN)/osallistu migrate
	OSALLISTU_DEV_MODE=1 $(BIN)/osallistu demo-data --if-empty
	OSALLISTU_DEV_MODE=1 $(BIN)/osallistu serve

test: install catalogs lint ## The whole suite (ruff, mypy, pytest), without the fault scenarios
	$(BIN)/pytest -q --ignore=tests/faults

test-faults: install catalogs ## Fault scenarios: duplicates, restarts, failing platforms
	$(BIN)/pytest -q tests/faults

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: install catalogs ## Throughput and latency figures, printed side by side
	OSALLISTU_BENCH_DATABASE_URL=$${OSALLISTU_BENCH_DATABASE_URL-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/python -m bench

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

catalogs: $(COMPILED) ## Compile the gettext catalogs

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

extract: install ## Collect msgids from the code into locales/messages.pot
	$(BIN)/pybabel extract -F locales/babel.cfg -k N_ -k _ --no-location \
		--project osallistu --copyright-holder "City of Mikkeli and Xamk" \
		-o locales/messages.pot bot dialogs handlers

update-catalogs: extract ## Merge new msgids into every language's catalog
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -w 100 \
		-i locales/messages.pot -d locales -D messages

clean:
	rm -rf $(VENV) $(COMPILED)
