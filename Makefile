# Newsroom: `make run` serves the site with demo data; `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Parallel test workers; 1 runs the suite in one process.
TEST_WORKERS ?= 2

.PHONY: run test lint bench bench-ingest loadtest lighthouse clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

# axe-core for the browser tests' accessibility checks; npm writes this file on install.
NODE_MODULES := node_modules/.package-lock.json
# Without npm the accessibility checks are skipped (CI always has it).
$(NODE_MODULES): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund; \
	else echo "npm not found: the axe-core accessibility checks will be skipped"; fi

run: export DEBUG ?= true
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Serving http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "A Celery worker with the scheduler (beat) fetches the feeds; Ctrl-C stops both."
	@# The worker uses Redis when REDIS_URL is set, else the file-system broker under var/.
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/celery -A newsroom worker --beat --concurrency 2 --loglevel INFO & worker=$$!; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

test: $(VENV)/.dev $(NODE_MODULES) lint
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS)

bench-ingest: $(VENV)/.dev
	$(BIN)/python bench/bench_ingest.py

bench: $(VENV)/.dev
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Pages, API and admin under 50 clients for 60 s on PostgreSQL + Redis, then with Redis killed
# (docs/deployment.md, "Load test"). Not part of `make bench`: it needs PostgreSQL and takes
# over two minutes. E.g. LOADTEST_ARGS="--seconds 20 --clients 20 --no-fail".
loadtest: $(VENV)/.runtime
	$(BIN)/python bench/loadtest.py $(LOADTEST_ARGS)

# Lighthouse (npm, mobile profile) on home, a 160-article story, a topic and a source page,
# served by gunicorn with DEBUG off; exits non-zero below the targets in docs/site.md.
lighthouse: $(VENV)/.dev $(NODE_MODULES)
	$(BIN)/python bench/lighthouse.py $(LIGHTHOUSE_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
