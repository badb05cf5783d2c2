#!/usr/bin/env bash
# The primary's first start only (the image's docker-entrypoint.sh runs /docker-entrypoint-initdb.d/
# on an empty data directory, as the postgres user, against a server listening on its unix
# socket alone). What scripts/localdb.py does for `make run` (roles_sql, DEFAULT_PRIVILEGES_SQL,
# create_extensions) and README.md's "Database roles" asks of a production server:
#
# - forum_owner owns the database forum and every table: `migrate` and `createcachetable` run as it
#   (DATABASE_OWNER_URL);
# - forum_app, the web processes' and the worker's role (DATABASE_URL, DATABASE_REPLICA_URLS),
#   reads and writes every table the owner creates (default privileges), owns nothing; migration
#   moderation/0004 then takes UPDATE, DELETE and TRUNCATE on the audit log away from it;
# - replicator may only stream WAL: the replica's pg_basebackup and its standby connection;
# - rum is created by the superuser before the first migrate (it is not a trusted extension).
#
# The passwords come from the environment (compose.yaml) and are set here once: changing them in
# .env later changes nothing in the database (ALTER ROLE … PASSWORD, and the URLs, by hand).
set -Eeuo pipefail

: "${POSTGRES_USER:=postgres}"
: "${FORUM_OWNER_PASSWORD:?FORUM_OWNER_PASSWORD is not set}"
: "${FORUM_APP_PASSWORD:?FORUM_APP_PASSWORD is not set}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD is not set}"
export FORUM_OWNER_PASSWORD FORUM_APP_PASSWORD REPLICATION_PASSWORD

# The passwords reach psql through its environment (\getenv), never its command line, and are
# quoted by psql (:'name'), whatever characters they hold.
PGHOST='' PGHOSTADDR='' psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet \
    --username "$POSTGRES_USER" --dbname postgres <<'SQL'
\getenv owner_password FORUM_OWNER_PASSWORD
\getenv app_password FORUM_APP_PASSWORD
\getenv replication_password REPLICATION_PASSWORD

CREATE ROLE forum_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE forum_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE ROLE replicator LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'replication_password';

CREATE DATABASE forum OWNER forum_owner;
GRANT CONNECT ON DATABASE forum TO forum_app;

\connect forum
GRANT USAGE ON SCHEMA public TO forum_app;
ALTER DEFAULT PRIVILEGES FOR ROLE forum_owner GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO forum_app;
ALTER DEFAULT PRIVILEGES FOR ROLE forum_owner GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO forum_app;
CREATE EXTENSION IF NOT EXISTS rum;
SQL

# Streaming replication for the replicator role, from any address of compose's internal network
# (the database port is published nowhere), with its password. `host all all all` (the image's
# own line) does not cover replication connections.
cat >> "$PGDATA/pg_hba.conf" <<'HBA'

# The replica (compose.yaml): pg_basebackup and its standby connection.
host replication replicator all scram-sha-256
HBA

echo "10-forum.sh: roles forum_owner, forum_app and replicator, database forum, extension rum"
