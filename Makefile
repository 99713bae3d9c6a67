# The README's commands. Everything runs through uv; `make install` fetches uv if it is missing.
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")

.PHONY: install test lint demo up bench

install:
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 \
		|| $(PYTHON) -m pip install --user --break-system-packages uv \
		|| $(PYTHON) -m pip install uv
	$(UV) sync --all-packages --frozen || $(UV) sync --all-packages

test: install
	$(UV) run pytest -q

lint:
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy

demo: install
	$(UV) run ccc-launch --var-dir var --demo

up: install
	$(UV) run ccc-launch --var-dir var

bench: install
	$(UV) run python bench/run_all.py
	$(UV) run python bench/e2e.py
