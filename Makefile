# SPEKTRA — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SPEKTRA := $(VENV)/bin/spektra
TAHUN  ?= 2022
BULAN  ?= 5
DEMO_DIR := data/demo
export SPEKTRA_STORE ?= data/spektra.duckdb

.PHONY: setup system demo test test-fast lab bench clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $@

setup: system $(VENV)/.installed

system:
	@bash scripts/setup-system.sh

demo: setup
	rm -rf $(DEMO_DIR)
	$(SPEKTRA) synth $(DEMO_DIR) --tahun $(TAHUN) --revisi --riwayat 3
	for v in $(DEMO_DIR)/riwayat-* $(DEMO_DIR)/1-dipa-awal $(DEMO_DIR)/2-revisi-1 $(DEMO_DIR)/3-revisi-2; do $(SPEKTRA) ingest $$v || exit 1; done
	$(SPEKTRA) report ranking_satker --tahun $(TAHUN) --bulan $(BULAN) -o data/ranking_satker.csv
	$(SPEKTRA) render --tahun $(TAHUN) --bulan $(BULAN) --workers 2
	$(SPEKTRA) site --tahun $(TAHUN) --bulan $(BULAN)
	@echo
	@echo "Selesai. Store: $(SPEKTRA_STORE); laporan contoh: data/ranking_satker.csv"
	@echo "Buka situs: file://$(CURDIR)/site/index.html"

test: setup
	$(VENV)/bin/pytest -n 2 -q

test-fast: setup
	$(VENV)/bin/pytest -n 2 -q -m "not browser and not slow"

# The kernel runs in notebooks/: the store path is made absolute, or it would point there.
# The notebooks open on the demo's month (SPEKTRA_PERIODE); LAB_PORT picks the port; as root
# (a container) Jupyter wants --allow-root; JupyterLab is installed only when missing.
LAB_PORT ?= 8888
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: setup
	@$(PY) -c "import jupyterlab" 2>/dev/null || $(PY) -m pip install -q -e '.[lab]'
	SPEKTRA_STORE=$(abspath $(SPEKTRA_STORE)) SPEKTRA_PERIODE=$(TAHUN)-$(BULAN) \
	  $(VENV)/bin/jupyter lab --notebook-dir=notebooks --port=$(LAB_PORT) $(ROOT_FLAG)

bench: setup
	$(PY) benchmarks/ingest_reports.py
	$(PY) benchmarks/render.py

clean:
	rm -rf site data/demo data/*.duckdb* .pytest_cache
