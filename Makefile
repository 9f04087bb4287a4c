# The two headline commands (README): `make lab` opens the course, `make test` runs the test suite.
# Each creates the local environment .venv/ first if it is missing or out of date.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: lab test venv venv-test release clean hub hub-install hub-wheels

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "gdlab needs Python 3.11 or newer; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The course: numpy, matplotlib, JupyterLab 4, nbgrader 0.9, ipywidgets 8 and gdlab itself (editable).
$(VENV)/.course: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

# The course plus the test tools (pytest, pytest-xdist, ruff, Playwright for Python).
$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(VENV)/.course $@

venv: $(VENV)/.course
venv-test: $(VENV)/.test

# Opens JupyterLab on the student notebooks; on a machine without a screen it prints the URL to open.
# (JupyterLab refuses to run as root without --allow-root, e.g. in a container.)
lab: venv
	$(BIN)/jupyter lab --notebook-dir=notebooks \
		$(if $(DISPLAY)$(filter Darwin,$(shell uname)),,--no-browser) \
		$(if $(filter 0,$(shell id -u)),--allow-root)

# The whole test suite, in parallel on every core.
test: venv-test
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

# Regenerate notebooks/ from solutions/ (instructors, after editing a lesson).
release: venv
	$(BIN)/gdlab release

# The class server (hub/README.md), as root on a fresh Debian/Ubuntu server. `make hub-install`
# installs Debian's python3-venv, npm and bubblewrap, the proxy from npm, and the course with
# JupyterHub into /opt/gdlab; add accounts with `python3 hub/deploy.py add-user NAME --role ...`;
# `make hub` starts JupyterHub on 127.0.0.1:8000 (installing first if that has not been done).
HUB_PREFIX ?= /opt/gdlab
hub-install:
	apt-get update -qq  # a fresh server has no package lists yet
	apt-get install -y -qq python3-venv bubblewrap $(if $(shell command -v npm),,npm)
	npm install -g configurable-http-proxy
	/usr/bin/python3 hub/deploy.py --prefix $(HUB_PREFIX) install

hub:
	test -f $(HUB_PREFIX)/etc/gdlab-hub.json || $(MAKE) hub-install
	/usr/bin/python3 hub/deploy.py --prefix $(HUB_PREFIX) start

# Wheels of the course and JupyterHub for the hub test, which installs a class server offline,
# resolved for the system Python the class server is built from (not the one of .venv).
hub-wheels: venv-test
	/usr/bin/python3 -m venv --clear $(VENV)/hub-build
	$(VENV)/hub-build/bin/python -m pip wheel --quiet --wheel-dir $(VENV)/hub-wheels ".[hub]" setuptools wheel

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache
