# 使い方 / Usage:  make lab   (学習を始める / start learning)
#                  make test  (全テスト / run every test)
SHELL := /bin/bash
# The system's python3 when it is 3.11 or newer, else the newest python3.1x found.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; done)
override PYTHON := $(PYTHON)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
JOBS ?= 2

.PHONY: lab test demo bench hub clean-notebooks grading clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 以上が見つかりません / Python 3.11 or newer is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install -q -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -q -c constraints.txt -e '.[test]'
	touch $@

grading: $(VENV)/.installed
	$(BIN)/course setup-grading

lab: grading
	$(BIN)/course lab

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n $(JOBS) -q -ra

$(VENV)/.installed-hub: $(VENV)/.installed
	$(PIP) install -q -c constraints.txt -e '.[hub]'
	touch $@

# 教室サーバー（JupyterHub）を 127.0.0.1:8000 で起動 / the classroom hub on 127.0.0.1:8000 (deploy/README.md)
hub: $(VENV)/.installed-hub
	@test "$$(id -u)" = 0 || { echo "make hub は root で実行してください（sudo make hub） / run as root: sudo make hub"; exit 1; }
	@command -v configurable-http-proxy >/dev/null || { echo "configurable-http-proxy がありません: npm install -g configurable-http-proxy@5 / missing: npm install -g configurable-http-proxy@5"; exit 1; }
	$(BIN)/jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

demo: $(VENV)/.installed
	$(BIN)/course demo

bench: $(VENV)/.installed
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean-notebooks: $(VENV)/.installed
	$(BIN)/course clean-notebooks notebooks grading/source

clean:
	rm -rf $(VENV) grading/release grading/submitted grading/autograded grading/feedback grading/gradebook.db
