# Ask Freely's application image: the web process (gunicorn, the default command), the task
# worker (`python manage.py db_worker --no-reload --no-startup-delay`) and the one-off commands
# (`migrate`, `createcachetable`, `proxy_error_pages`, the daily ones) all run from it.
# compose.yaml runs the whole topology; docs/deploy.md describes it.
#
#   docker build -t ask-freely .
#
# It is configured at run time by the same environment variables as the app (README.md,
# forum/settings.py): DATABASE_URL, DATABASE_REPLICA_URLS, CACHE_URL, SECRET_KEY,
# ASKER_EMAIL_KEYS, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS, TRUSTED_PROXIES, SITE_URL, EMAIL_*, … ;
# WEB_CONCURRENCY sets gunicorn's workers. `migrate` and `createcachetable` run with DATABASE_URL
# set to the owner role's URL (DATABASE_OWNER_URL in README.md), as compose's migrate service
# does. Nothing secret is in the image.

# --- build: compilers, the virtualenv, translations, static files ---------------------------
FROM python:3.11-slim-bookworm AS build

# gcc, libc6-dev and libpq-dev: psycopg2 is built from source (requirements.txt pins it);
# gettext: msgfmt/msgcat compile the translations (scripts/messages.py).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev gettext \
    && rm -rf /var/lib/apt/lists/*

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PATH=/opt/venv/bin:$PATH

# The runtime requirements only (not requirements-dev.txt), in a layer of their own so that a
# change of code doesn't reinstall them.
COPY requirements.txt /tmp/requirements.txt
RUN python -m venv /opt/venv \
    && pip install -r /tmp/requirements.txt

WORKDIR /app
COPY . .

# The catalogs (locale/*/LC_MESSAGES/*.po, and their parts) → .mo; then the static files, hashed
# and compressed (DEBUG off: whitenoise's CompressedManifestStaticFilesStorage) into
# /app/staticfiles. Settings refuse to load without these three variables: the placeholders
# below live for this command only, are never in the image's environment, and connect nowhere
# (collectstatic touches no database).
RUN python scripts/messages.py compile \
    && DATABASE_URL=postgres://build@build.invalid/build \
       SECRET_KEY=build-time-placeholder-for-collectstatic-only-never-a-real-key \
       ASKER_EMAIL_KEYS=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
       python manage.py collectstatic --noinput --verbosity 0 \
    && test -s staticfiles/staticfiles.json \
    && rm -rf scripts \
    && python -m compileall -q --invalidation-mode checked-hash /app

# --- runtime: the venv, the code, its static files and catalogs; no compiler ---------------
FROM python:3.11-slim-bookworm

LABEL org.opencontainers.image.title="Ask Freely" \
      org.opencontainers.image.description="The Ask Freely forum: gunicorn (default), the task worker and manage.py"

# libpq5: what psycopg2 links to. Nothing else from apt.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 forum \
    && useradd --system --uid 10001 --gid forum --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin forum \
    && install -d -o 10001 -g 10001 -m 0755 /srv/proxy-pages

# The code belongs to root: the app's user reads it and can't change it, so a compromised
# process can't rewrite it. /srv/proxy-pages is the one place it writes (compose mounts a
# volume there for `manage.py proxy_error_pages`, which nginx serves).
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=forum.settings \
    WEB_CONCURRENCY=2

WORKDIR /app
USER 10001:10001
EXPOSE 8000

# GET /healthz (200 when the database answers) on the local gunicorn, with a Host that
# ALLOWED_HOSTS accepts; python's urllib, no curl in the image. Compose turns it off for the
# worker and the one-off commands, which serve no HTTP.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/app/deploy/container/healthcheck.py"]

# gunicorn reads WEB_CONCURRENCY for its workers. No access log: the app writes its own JSON
# log lines, which never hold an IP address, and a URL can hold a private page's key
# (/questions/key/…). --worker-tmp-dir: the workers' heartbeat on memory, not on the image's
# overlay filesystem (which can stall them, and is read-only under compose). No control
# socket: nothing uses it, and it would want a writable home.
CMD ["gunicorn", "forum.wsgi", \
     "--bind", "0.0.0.0:8000", \
     "--timeout", "30", \
     "--graceful-timeout", "25", \
     "--worker-tmp-dir", "/dev/shm", \
     "--no-control-socket"]
