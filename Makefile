# Two commands for a fresh machine: `make run` and `make test`.
# Each creates .venv, installs what the project needs (Debian packages Qt needs
# included, where apt-get is available) and then runs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: run demo test bench screenshots system-deps venv clean

run: $(STAMP)
	$(BIN)/python -m desktop_app $(ARGS)

demo: $(STAMP)
	$(BIN)/python build_scripts/run_demo.py

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks

screenshots: $(STAMP)
	TAPIS_SCREENSHOTS=docs/screenshots QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/ui/test_ui_screenshots.py

system-deps:
	sh build_scripts/install_system_deps.sh

$(STAMP): pyproject.toml
	sh build_scripts/install_system_deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info
