# yusuan: `make demo` runs the Airflow DAG on bundled sample PDFs; `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Re-install whenever the lock or the project metadata changes.
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
DEMO_HOME ?= $(CURDIR)/.yusuan/demo

.PHONY: demo test test-integration lint unit bench bench-scale clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

demo: $(STAMP)
	$(BIN)/python -m tools.samplegen $(DEMO_HOME)/samples
	$(BIN)/yusuan airflow-test $(DEMO_HOME)/samples tests/pdfs/samples --home $(DEMO_HOME) \
		--warehouse $(DEMO_HOME)/warehouse.duckdb

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/tests dbt_project/macros

# Both suites run over every core; a test file stays on one worker (--dist loadfile), so
# the module fixtures that run a whole pipeline (Airflow's DAG run, the sample loads) run
# once; the integration files go first (tests/conftest.py), the short unit files last.
test: lint
	$(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder -m "not airflow_server"

# A whole Airflow deployment (scheduler, dag-processor, api-server, triggerer, Celery workers
# on PostgreSQL and Redis), alone: it starts its own processes, outside the parallel workers.
test-integration: $(STAMP)
	$(BIN)/pytest -m airflow_server

unit: $(STAMP)
	$(BIN)/pytest -m "not integration and not airflow_server" -n auto

bench: $(STAMP)
	$(BIN)/python -m tools.bench

# A generated province loaded in steps (tools/bench_scale.py); STEPS=100,500,2000 for the
# full curve. The PDFs are rendered once into .yusuan/bench-scale/pdfs and reused.
STEPS ?= 50,200,500
bench-scale: $(STAMP)
	$(BIN)/python -m tools.bench_scale --steps $(STEPS) --json .yusuan/bench-scale/result.json

clean:
	rm -rf $(VENV) .yusuan dbt_project/target dbt_project/logs
