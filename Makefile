# lienthong — one entry point for running, testing and benchmarking the platform.
SHELL := /bin/bash
PY := .venv/bin/python
VENV_STAMP := .venv/.installed

.PHONY: chart-test compose compose-check run test setup infra-up infra-down topics unit integration e2e lint typecheck schemas schemas-check asyncapi bench clean-local

run: setup ## start broker, PostgreSQL, topics, every service and demo data
	scripts/run.sh

test: setup infra-up lint typecheck ## ruff and mypy, then unit + integration + e2e against the real broker and PostgreSQL
	$(PY) -m pytest -q services lib tools e2e_tests

setup: $(VENV_STAMP)

$(VENV_STAMP): pyproject.toml
	scripts/setup-python.sh
	@touch $(VENV_STAMP)

infra-up: setup ## start Kafka and PostgreSQL (idempotent) and provision topics
	scripts/dev-up.sh

infra-down:
	scripts/dev-down.sh

unit: setup
	$(PY) -m pytest -q -m "not integration and not e2e" services lib tools

integration: setup infra-up
	$(PY) -m pytest -q -m integration services lib tools

e2e: setup infra-up
	$(PY) -m pytest -q e2e_tests

lint: setup
	.venv/bin/ruff check lib tools services e2e_tests
	.venv/bin/ruff format --check lib tools services e2e_tests

typecheck: setup
	.venv/bin/mypy lib tools services

schemas: setup ## regenerate lienthong/contracts/events.py from schemas/
	.venv/bin/lienthong schemas generate

schemas-check: setup
	.venv/bin/lienthong schemas check
	.venv/bin/lienthong schemas generate --check

asyncapi: setup
	.venv/bin/lienthong schemas asyncapi

bench: setup infra-up
	.venv/bin/lienthong bench

chart-test: setup ## lint and render the Helm chart, check every manifest
	$(PY) -m pytest -q tools/tests/unit/test_deploy_chart.py

compose: setup ## regenerate docker-compose files from the service list
	.venv/bin/lienthong ops compose

compose-check: setup
	.venv/bin/lienthong ops compose --check

clean-local: infra-down
	rm -rf .local
