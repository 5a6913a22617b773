# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck unit e2e browser screenshot clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/activate

# With no TELEGRAM_BOT_TOKEN this runs the local sandbox: a web chat at http://127.0.0.1:8080.
run: $(BIN)/activate
	$(BIN)/python bot.py

lint: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

unit: $(BIN)/activate
	$(BIN)/pytest tests/unit

e2e: $(BIN)/activate
	$(BIN)/pytest tests/e2e

# The browser tests drive Debian's Chromium. As root (CI) this installs it when missing; otherwise those
# tests skip and say how to install it.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			chromium chromium-driver fonts-noto-color-emoji >/dev/null; \
	else echo "Chromium is not installed: the browser tests will skip (as root: make browser)"; fi

test: lint browser
	$(BIN)/pytest

# docs/webchat.png, the picture in the README.
screenshot: $(BIN)/activate browser
	$(BIN)/python -m docs.screenshot

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
