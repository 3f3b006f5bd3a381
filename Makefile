# Paragraf: `make run` serves the demo, `make test` checks everything. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=

export DJANGO_SETTINGS_MODULE ?= config.settings.local
# Links in e-mails and the printed login address follow the address `make run` serves on.
export PARAGRAF_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test install install-test migrate seed lint format worker beat benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.installed-test: requirements/test.txt requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed-base
install-test: $(VENV)/.installed-test

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

## Serve the app with demo data on http://$(HOST):$(PORT) (SQLite under var/, tasks in-process).
run: seed
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## A Celery worker for when REDIS_URL is set, started again whenever it exits (Ctrl-C stops it).
worker: install
	bin/keep-running $(BIN)/celery -A config worker --loglevel=INFO --concurrency=2 -Q paragraf

## Celery beat: the job sweeper and the missing-archive check every 30 s. Run exactly one per installation.
beat: install
	@mkdir -p var
	bin/keep-running $(BIN)/celery -A config beat --loglevel=INFO --schedule var/celerybeat-schedule

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## ruff, migrations check and every test (browser tests too when /usr/bin/chromium exists).
test: install-test
	@if [ -n "$$DATABASE_URL" ]; then echo "Databas: $$DATABASE_URL"; else echo "Databas: SQLite (sätt DATABASE_URL för PostgreSQL)"; fi
	@if [ -n "$$REDIS_URL" ]; then echo "Kö: Celery på $$REDIS_URL"; else echo "Kö: uppgifter körs i processen (sätt REDIS_URL för Celery)"; fi
	@if [ -x /usr/bin/chromium ]; then echo "Webbläsartester: Chromium finns"; else echo "Webbläsartester: HOPPAS ÖVER (installera chromium)"; fi
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest $(PYTEST_ARGS)

benchmark: install-test
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python benchmarks/render_pipeline.py
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python benchmarks/minutes_pdf.py
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python benchmarks/load.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
