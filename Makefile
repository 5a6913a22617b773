# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck unit e2e browser postgres nginx screenshot prep-sheet-picture clean bench bench-quick lock

# Installs exactly what requirements.lock pins (with hashes), then the project itself.
$(BIN)/activate: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(BIN)/activate

# After changing dependencies in pyproject.toml: pin them again (see DEVELOPERS.md).
lock: $(BIN)/activate
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra test --generate-hashes --strip-extras --allow-unsafe \
		--no-emit-find-links --no-emit-index-url -o requirements.lock pyproject.toml

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

# The browser tests drive Debian's Chromium, and the web chat needs a colour emoji font (without one every
# emoji is an empty box). As root (CI) this installs whichever is missing; otherwise it says how. Without
# Chromium the browser tests skip.
EMOJI_FONT := fonts-noto-color-emoji
browser:
	@missing=""; \
	if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		missing="chromium chromium-driver"; fi; \
	if ! fc-list 2>/dev/null | grep -qi "Noto Color Emoji" \
		&& ! dpkg-query -W -f='$${Status}' $(EMOJI_FONT) 2>/dev/null | grep -q "ok installed"; then \
		missing="$$missing $(EMOJI_FONT)"; fi; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
		case "$$missing" in *chromium*) \
			echo "Chromium is not installed: the browser tests will skip (as root: make browser)";; esac; \
		case "$$missing" in *$(EMOJI_FONT)*) \
			echo "The emoji font is not installed: the web chat shows emoji as empty boxes" \
				"(to install it: sudo apt-get install $(EMOJI_FONT))";; esac; \
	fi

# The PostgreSQL storage tests start a throwaway cluster from Debian's server binaries. As root (CI) this
# installs them when missing; otherwise it says how. Without them those tests skip (in CI, with CI set,
# they fail instead).
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null; \
	else \
		echo "PostgreSQL is not installed: its storage tests will skip (to install it: sudo apt-get install postgresql)"; \
	fi

# tests/e2e/test_workers.py runs several workers behind Debian's nginx (tests/workers.py).
nginx:
	@if [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null; \
	else \
		echo "nginx is not installed: the several-workers tests will skip (to install it: sudo apt-get install nginx)"; \
	fi

test: lint browser
	$(BIN)/pytest

# docs/webchat.png, the picture in the README.
screenshot: $(BIN)/activate browser
	$(BIN)/python -m docs.screenshot

# docs/prep-sheet.png, the README's picture of the prep sheet (page one of a made-up plan's PDF). Needs
# poppler's pdftoppm; as root this installs it when missing.
prep-sheet-picture: $(BIN)/activate
	@command -v pdftoppm >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null; } || true
	$(BIN)/python -m docs.prep_sheet

# Every benchmark, full size (figures and commands in docs/benchmarks.md); about 20 minutes.
# bench/storage_pg.py needs PostgreSQL's server binaries (sudo apt-get install postgresql).
bench: $(BIN)/activate
	$(BIN)/python bench/fairness.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/reminders_burst.py
	$(BIN)/python bench/storage_save.py
	$(BIN)/python bench/unit_cost.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/storage_pg.py

# The same, small: under 2 minutes on a 2-core machine.
bench-quick: $(BIN)/activate
	$(BIN)/python bench/fairness.py --quick
	$(BIN)/python bench/startup.py --quick
	$(BIN)/python bench/reminders_burst.py --quick
	$(BIN)/python bench/storage_save.py --quick
	$(BIN)/python bench/throughput.py --quick
	$(BIN)/python bench/storage_pg.py --quick

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
