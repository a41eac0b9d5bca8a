# Two commands for a newcomer: `make run` and `make test`. Both set up .venv first.
# `make run` installs what running needs and no test tools: by default the Slack, Discord and
# PostgreSQL extras; `make run EXTRAS=` installs the core alone, which is all the console needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXTRAS ?= slack,discord,postgres
comma := ,
# What pip installs for a stamp named .installed-<extras joined by +> (or -core for none).
requirement = .$(if $(filter-out core,$(1)),[$(subst +,$(comma),$(1))])
CONFIG ?= $(wildcard config.toml)
CONFIG_ARG := $(if $(CONFIG),--config $(CONFIG))

.PHONY: run test lint messages clean
LOCALES := bot/locale

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One stamp per set of extras, so `make run` after `make test` (or the reverse) installs what is missing.
$(VENV)/.installed-%: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '$(call requirement,$*)'
	touch $@

run: $(VENV)/.installed-$(or $(subst $(comma),+,$(EXTRAS)),core)
	$(BIN)/alumni-bot run $(CONFIG_ARG)

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -n 2

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Extract every marked string to the template and bring the catalogs in step with it: new strings
# arrive untranslated, changed ones fuzzy. Sorted, unwrapped and without line numbers, so moving
# code does not touch the catalogs.
messages: $(VENV)/.installed-test
	$(BIN)/pybabel -q extract --no-location --sort-output --no-wrap --project alumni-bot \
		-o $(LOCALES)/alumni-bot.pot bot adapters
	$(BIN)/pybabel -q update --no-wrap --ignore-obsolete --ignore-pot-creation-date \
		-i $(LOCALES)/alumni-bot.pot -d $(LOCALES) -D alumni-bot

clean:
	rm -rf $(VENV) .pytest_cache build dist
