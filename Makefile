# One-line targets. `make run` and `make test` are the two commands in the README.
PY := .venv/bin/python
export PEERREVIEW_DEV ?= 1

.PHONY: help install assets run serve test test-sqlite test-postgres lint format check bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/'

install: ## Create the virtualenv and install the pinned Python and npm packages, then build the assets
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent vendor

run: install serve ## Install, migrate, load the demo review and serve it at http://127.0.0.1:8000

serve: ## Migrate, load the demo review and serve (without reinstalling)
	mkdir -p var
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: install lint test-sqlite test-postgres check ## Install everything and run every check and test (SQLite and PostgreSQL)

test-sqlite: ## The whole suite on SQLite, browser tests included
	$(PY) -m pytest -n 2 -p no:cacheprovider

test-postgres: ## The database tests (not the browser or pure solver/export ones) on a throwaway PostgreSQL cluster
	scripts/with_postgres.sh $(PY) -m pytest -n 2 -p no:cacheprovider -m "not browser" \
		--ignore=peerreview/solver --ignore=peerreview/exports

lint: ## ruff and the import contracts (the solver stays pure)
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

format: ## Format the code
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

check: ## Migrations are complete and production settings pass Django's deployment checks
	mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run
	PEERREVIEW_DEV=0 DEBUG=false SECURE=true SECRET_KEY=$$(openssl rand -hex 40) ALLOWED_HOSTS=peer-review.example.org $(PY) manage.py check --deploy --fail-level WARNING

bench: ## Run the benchmarks and print their tables
	$(PY) bench/run.py
