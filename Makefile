# The README's commands. Everything runs through uv; `make install` fetches uv if it is missing.
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
# `make demo PORT=9100`: the console on PORT, the four services on the next four ports
PORT ?= 8100
PORTS := --console-port $(PORT) --base-port $(shell echo $$(($(PORT) + 1)))

.PHONY: install test lint demo up bench wheels

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
	$(UV) run ccc-launch --var-dir var --demo $(PORTS)

up: install
	$(UV) run ccc-launch --var-dir var $(PORTS)

bench: install
	$(UV) run python bench/run_all.py
	$(UV) run python bench/province.py
	$(UV) run python bench/e2e.py
	$(UV) run python bench/e2e.py --store postgresql

# The wheel an outside system installs (`pip install dist/ccc_contracts-*.whl[subscriber]`)
wheels: install
	$(UV) build --package ccc-contracts --wheel --out-dir dist
