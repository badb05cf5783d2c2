#!/usr/bin/env bash
# The replica's entrypoint (compose.yaml: replica), in the same image as the primary.
#
# On an empty data directory it copies the primary, once it answers:
#   pg_basebackup -h $PRIMARY_HOST -U replicator -D … -R -X stream -C -S $REPLICATION_SLOT
# (-R writes standby.signal and primary_conninfo, with the password, into the copy's
# postgresql.auto.conf; the replication slot keeps on the primary the WAL this replica hasn't
# received yet, up to the primary's max_slot_wal_keep_size). The copy is made beside PGDATA and
# renamed when complete, so an interrupted copy is started again, never run half-made.
# Then, and on every later start, it runs PostgreSQL as a hot standby: it answers reads, and
# hot_standby_feedback tells the primary which rows its queries still read, so that vacuum there
# never cancels them.
#
# A replica whose primary was created anew (a new primary volume) refuses to start ("database
# system identifier differs"): remove the replica's volume and it copies the new primary.
#
# Environment: REPLICATION_PASSWORD (required), PRIMARY_HOST (primary), PRIMARY_PORT (5432),
# REPLICATION_USER (replicator), REPLICATION_SLOT (replica1), PGDATA (a directory inside the
# volume, not the mount point itself, so that it can be renamed into place).
set -Eeuo pipefail

: "${PGDATA:=/var/lib/postgresql/data/pgdata}"
: "${PRIMARY_HOST:=primary}"
: "${PRIMARY_PORT:=5432}"
: "${REPLICATION_USER:=replicator}"
: "${REPLICATION_SLOT:=replica1}"
export PGDATA

say() {
    printf 'replica-entrypoint: %s\n' "$*" >&2
}

# As the image's own entrypoint does: a first argument that is an option means postgres.
case "${1:-}" in
    -*) set -- postgres "$@" ;;
esac

if [ "$(id -u)" = '0' ]; then
    # Root only makes the volume the postgres user's, then runs this script again as that user.
    volume="$(dirname "$PGDATA")"
    mkdir -p "$volume" /var/run/postgresql
    chown postgres:postgres "$volume"
    chmod 0700 "$volume"
    find "$volume" /var/run/postgresql \! -user postgres -exec chown postgres:postgres '{}' +
    exec gosu postgres "${BASH_SOURCE[0]}" "$@"
fi

if [ "${1:-}" != 'postgres' ]; then
    exec "$@"  # anything else (a shell, pg_controldata …) as it is
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    : "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD is not set}"
    if ! [[ "$REPLICATION_SLOT" =~ ^[a-z0-9_]{1,63}$ ]]; then
        say "REPLICATION_SLOT must be lower-case letters, digits and underscores, not '$REPLICATION_SLOT'"
        exit 1
    fi
    if [ -e "$PGDATA" ] && [ -n "$(ls -A "$PGDATA")" ]; then
        say "$PGDATA holds files but no PG_VERSION: not a data directory, and not removed. Empty it to copy the primary."
        exit 1
    fi

    export PGPASSWORD="$REPLICATION_PASSWORD"
    primary=(-h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$REPLICATION_USER")

    # The primary's port opens only once its first start's initialisation is over (it runs on
    # the unix socket alone): ready means the replicator role exists.
    until pg_isready -q "${primary[@]}" -d postgres; do
        say "waiting for the primary at $PRIMARY_HOST:$PRIMARY_PORT"
        sleep 2
    done

    # A slot of this name left by an earlier copy of this replica (its volume was removed, or a
    # copy was interrupted) may have lost WAL: drop it and make it anew. One in use belongs to a
    # running standby: stop rather than take it.
    # (SQL on standard input: psql substitutes :'slot' there, not in -c.)
    active="$(psql "${primary[@]}" -d postgres -XAtq -v ON_ERROR_STOP=1 -v slot="$REPLICATION_SLOT" \
        <<<"SELECT active FROM pg_replication_slots WHERE slot_name = :'slot';")"
    if [ "$active" = 't' ]; then
        say "replication slot $REPLICATION_SLOT is in use by another standby; set REPLICATION_SLOT to another name"
        exit 1
    elif [ "$active" = 'f' ]; then
        say "dropping the replication slot $REPLICATION_SLOT left by an earlier copy"
        psql "${primary[@]}" -d postgres -XAtq -v ON_ERROR_STOP=1 -v slot="$REPLICATION_SLOT" \
            <<<"SELECT pg_drop_replication_slot(:'slot');" >/dev/null
    fi

    partial="$PGDATA.partial"
    rm -rf "$partial"
    say "copying the primary (pg_basebackup -R -X stream, slot $REPLICATION_SLOT)"
    pg_basebackup "${primary[@]}" -D "$partial" -R -X stream -C -S "$REPLICATION_SLOT" \
        --checkpoint=fast --no-password
    rmdir "$PGDATA" 2>/dev/null || true
    mv "$partial" "$PGDATA"
    unset PGPASSWORD
    say "copy complete"
fi

exec "$@" -c hot_standby=on -c hot_standby_feedback=on
