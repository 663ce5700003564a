# 使い方 / Usage:  make lab         (学習を始める / start learning)
#                  make instructor  (講師用：採点ツールつき / for instructors, with the formgrader)
#                  make test        (全テスト / run every test)
# Without make (Windows too): python -m course lab   (README: 「make を使わない場合」)
SHELL := /bin/bash
# The one Python floor of the project (also pyproject.toml requires-python and README): 3.11.5, for nbconvert's HTML
# export (soupsieve). The system's python3 when it is new enough, else the newest python3.1x found.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11, 5))' >/dev/null 2>&1 && { echo $$p; break; }; done)
override PYTHON := $(PYTHON)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
JOBS ?= 2

.PHONY: lab instructor test demo bench hub clean-notebooks constraints clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11.5 以上が見つかりません / Python 3.11.5 or newer is required"; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "仮想環境を作れません。Debian/Ubuntu では: sudo apt install python3-venv" \
		"/ cannot create the virtual environment; on Debian/Ubuntu: sudo apt install python3-venv"; exit 1; }
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install -q -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -q -c constraints.txt -e '.[test]'
	touch $@

# Learners: notebooks/ only, no grading tools, nothing generated (course/lab.py).
lab: $(VENV)/.installed
	$(BIN)/course lab

# Instructors: the formgrader; release versions are regenerated only for assignments whose grading/source changed.
instructor: $(VENV)/.installed
	$(BIN)/course lab --instructor

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

# constraints.txt: the exact versions CI installs, resolved by pip with this Python. Keeps today's pins and adds what is
# missing; `make constraints UPGRADE=1` resolves every package anew.
constraints: $(BIN)/python
	$(PIP) install -q --dry-run --ignore-installed --report $(VENV)/resolution.json \
		$(if $(UPGRADE),,-c constraints.txt) -e '.[test,hub]'
	$(BIN)/python tools/write_constraints.py $(VENV)/resolution.json constraints.txt

clean-notebooks: $(VENV)/.installed
	$(BIN)/course clean-notebooks notebooks grading/source

clean:
	rm -rf $(VENV) grading/release grading/submitted grading/autograded grading/feedback grading/gradebook.db
