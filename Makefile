# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCALDB := $(PYTHON) scripts/localdb.py
STAMP := $(VENV)/.installed

.PHONY: run test lint cluster bench-cluster bench bench-markdown relevance setup migrations-check clean-db screenshots demo-code messages translations

# Install system packages (as root) or say which are missing, then the pinned virtualenv.
$(STAMP): requirements.txt requirements-dev.txt
	@$(LOCALDB) system
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

setup: $(STAMP)

# The interface's translations: locale/<language>/LC_MESSAGES/*.po, compiled to .mo (not in git).
translations: $(STAMP)
	@$(PYTHON) scripts/messages.py compile

# After marking new strings: bring them into the catalogs (then translate them in locale/).
messages: $(STAMP)
	@$(PYTHON) scripts/messages.py update

# Schema changes run as the owner role (DATABASE_OWNER_URL), the server and the task worker as the
# app role (DATABASE_URL). The worker (emails) runs beside the server and stops with it, on Ctrl-C too.
# `make run PORT=8123` serves on another port; the links it prints (and emails) use it (SITE_URL).
PORT ?= 8000
run: $(STAMP) translations
	@SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" $(LOCALDB) dev -- sh -c '\
	  owner="$${DATABASE_OWNER_URL:-$$DATABASE_URL}" && \
	  DATABASE_URL="$$owner" $(BIN)/python manage.py migrate --noinput && \
	  DATABASE_URL="$$owner" $(BIN)/python manage.py createcachetable && \
	  $(BIN)/python manage.py seed_demo && \
	  $(BIN)/python manage.py prune_db_task_results --queue-name "*" --min-age-days 1 --verbosity 0 && \
	  { $(BIN)/python manage.py db_worker --no-reload --no-startup-delay & worker=$$!; } && \
	  trap "kill -TERM $$worker 2>/dev/null; wait $$worker" EXIT INT TERM && \
	  echo "" && echo "  The forum is running on $$SITE_URL/ with its task worker  (Ctrl-C stops both)" && \
	  echo "" && $(BIN)/python manage.py runserver --noreload 127.0.0.1:$(PORT)'

# The forum as on several machines, on loopback (scripts/cluster.py, docs/deploy.md): a primary and a
# streaming replica, Redis, 3 web hosts (gunicorn), the task worker and nginx on http://127.0.0.1:8080.
# Ctrl-C stops them all. CLUSTER_ARGS="--hosts 2 --workers 3 --port 8090".
cluster: $(STAMP) translations
	@$(PYTHON) scripts/cluster.py $(CLUSTER_ARGS)

# The demo moderator's and experts' current two-factor code (no database needed).
demo-code: $(STAMP)
	@DEBUG=1 DATABASE_URL="$${DATABASE_URL:-postgres://unused@localhost/unused}" $(BIN)/python manage.py demo_code

test: $(STAMP) translations
	@$(LOCALDB) test -- $(BIN)/pytest $(PYTEST_ARGS)

# docs/screenshots/: the thread, a private page and the moderation queue, and the thread and private page in Arabic
# (ar-*.png, right to left), at 390 and 1280 px (tests/e2e/test_screenshots.py).
screenshots: $(STAMP) translations
	@SCREENSHOTS=1 $(LOCALDB) test -- $(BIN)/pytest -q -p no:randomly -p no:cacheprovider tests/e2e/test_screenshots.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 DATABASE_URL=postgres://lint@localhost/lint $(BIN)/mypy
	@$(MAKE) --no-print-directory migrations-check
	$(PYTHON) scripts/messages.py check

bench: $(STAMP) translations
	@$(PYTHON) scripts/bench.py $(BENCH_ARGS)

# The loopback cluster under load and faults (scripts/bench_cluster.py): nginx across 1, 2 and 3 web
# hosts (visitors, members, the write mix; CPU per process), then a host killed, Redis restarted, the
# replica stopped and lagging. Its own throwaway cluster; under 10 minutes. BENCH_CLUSTER_ARGS="--duration 3".
bench-cluster: $(STAMP) translations
	@$(PYTHON) scripts/bench_cluster.py $(BENCH_CLUSTER_ARGS)

# Search relevance: the relevance set (forum/devtools/relevance) over 100,000 newer questions, on a
# database of its own in .localdb-relevance/; RELEVANCE_ARGS="--newer 10000", or "--reuse" to measure again.
relevance: $(STAMP) translations
	@$(PYTHON) scripts/relevance.py $(RELEVANCE_ARGS)

# Markdown rendering on inputs crafted to be slow, new renderer against the old (no database needed).
bench-markdown: $(STAMP)
	@$(BIN)/python scripts/bench_markdown.py $(BENCH_ARGS)

migrations-check: $(STAMP)
	@$(LOCALDB) test -- $(BIN)/python manage.py makemigrations --check --dry-run

clean-db:
	rm -rf .localdb
