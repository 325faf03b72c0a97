# The two commands: `make run` and `make test`. Everything else is a helper for them.
SHELL := /bin/bash
PY := .venv/bin/python
PORT ?= 8000
export PORT

.PHONY: run test setup setup-test lint typecheck pytest e2e bench messages clean

run: setup
	@echo "Serving Mängelmelder at http://127.0.0.1:$(PORT)/ (Ctrl-C stops web and worker)"
	@DJANGO_SETTINGS_MODULE=config.settings.production .venv/bin/honcho -f Procfile start

test: setup-test
	@$(MAKE) --no-print-directory lint typecheck pytest

setup:
	@scripts/setup.sh run

setup-test:
	@scripts/setup.sh test

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
	$(PY) scripts/check_sizes.py

typecheck:
	.venv/bin/mypy .

pytest:
	$(PY) -m pytest $(PYTEST_ARGS)

messages:
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=frontend/node_modules

clean:
	rm -rf .run staticfiles
