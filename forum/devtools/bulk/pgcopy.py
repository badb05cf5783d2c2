"""PostgreSQL COPY plumbing for seed_bulk: values in COPY text format, tables, keys and ids."""

from __future__ import annotations

import io
import json
from datetime import datetime

from django.core.management.base import CommandError
from django.db import DatabaseError, connection, models, transaction
from django.db.models import NOT_PROVIDED, ForeignKey
from django.utils import timezone

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


def _array_literal(values) -> str:
    return "{" + ",".join('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"


def enc(value) -> str:
    """A value in COPY text format."""
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return _array_literal(value).translate(_COPY_ESCAPES)
    adapted = getattr(value, "adapted", None)  # psycopg2's Json wrapper
    if adapted is not None:
        return json.dumps(adapted).translate(_COPY_ESCAPES)
    return str(value).translate(_COPY_ESCAPES)


class CopyTable:
    """COPY rows into one model's table: the given columns, then every other field's default.

    Fields added to a model later are filled with their default (or left to the database
    when they have a db_default or are generated); a NOT NULL field without a default stops
    the command with a message naming it.
    """

    def __init__(self, model: type[models.Model], columns: list[str]):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise CommandError(f"seed_bulk: {model.__name__} has no field(s) {unknown}")
        names = [fields[c].column for c in columns]
        defaults = []
        for f in model._meta.concrete_fields:
            if (
                f.attname in columns
                or f.primary_key
                or getattr(f, "generated", False)
                or f.db_default is not NOT_PROVIDED
            ):
                continue
            value = timezone.now() if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else None
            value = value or f.get_default()
            if value is None and not f.null:
                raise CommandError(
                    f"seed_bulk does not know how to fill {model.__name__}.{f.name} (NOT NULL, no default): "
                    "add it to forum/devtools/bulk/seeder.py or fill it in derived.after_bulk_insert()."
                )
            names.append(f.column)
            defaults.append(enc(f.get_db_prep_save(value, connection)))
        self.model = model
        self.sql = 'COPY "{}" ({}) FROM STDIN'.format(model._meta.db_table, ", ".join(f'"{n}"' for n in names))
        self.suffix = ("\t" + "\t".join(defaults)) if defaults else ""

    def line(self, *values) -> str:
        """One row of the given columns in COPY format (hot paths build these strings themselves)."""
        return "\t".join(map(enc, values))

    def copy(self, cursor, lines: list[str]) -> None:
        if lines:
            end = self.suffix + "\n"
            data = end.join(lines) + end
            # One read of the whole buffer: psycopg2 takes the GIL for every read, and the
            # generating thread would make each of many small reads wait for it.
            cursor.copy_expert(self.sql, io.StringIO(data), len(data) + 1)


class ForeignKeyChecks:
    """Per-row foreign-key triggers off during the bulk insert, then one set-based check per key.

    Only for this transaction: ALTER TABLE is transactional, so the triggers are enabled again
    before commit, and by the rollback if anything fails. Switching a constraint trigger needs a
    superuser (the benchmark's own cluster); otherwise the usual per-row checks run at commit.
    """

    def __init__(self, cursor, models_: list[type[models.Model]]):
        self.cursor = cursor
        self.models = models_
        self.disabled: list[tuple[str, str]] = []
        self.first_new_id: dict[str, int] = {}
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            return
        try:
            with transaction.atomic():
                for model in models_:
                    table = model._meta.db_table
                    cursor.execute(f'SELECT COALESCE(MAX("id"), 0) + 1 FROM "{table}"')
                    self.first_new_id[table] = cursor.fetchone()[0]
                    cursor.execute(
                        "SELECT t.tgname FROM pg_trigger t JOIN pg_constraint c ON c.oid = t.tgconstraint "
                        "WHERE t.tgrelid = %s::regclass AND c.conrelid = t.tgrelid AND c.contype = 'f' "
                        "AND t.tgenabled <> 'D'",
                        [f'"{table}"'],
                    )
                    for (name,) in cursor.fetchall():
                        cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER "{name}"')
                        self.disabled.append((table, name))
        except DatabaseError:  # e.g. pending trigger events in an enclosing transaction
            self.disabled = []

    def validate_and_restore(self) -> None:
        if not self.disabled:
            return
        cursor = self.cursor
        for model in self.models:
            table = model._meta.db_table
            for f in model._meta.concrete_fields:
                if not (isinstance(f, ForeignKey) and getattr(f, "db_constraint", True)):
                    continue
                parent = f.remote_field.model._meta.db_table
                cursor.execute(
                    f'SELECT c."{f.column}" FROM "{table}" c WHERE c."id" >= %s AND c."{f.column}" IS NOT NULL '
                    f'AND NOT EXISTS (SELECT 1 FROM "{parent}" p WHERE p."{f.target_field.column}" = c."{f.column}") '
                    "LIMIT 1",
                    [self.first_new_id[table]],
                )
                row = cursor.fetchone()
                if row:
                    raise CommandError(f"seed_bulk bug: {table}.{f.column} = {row[0]} has no row in {parent}")
        for table, name in self.disabled:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER "{name}"')
        self.disabled = []


def next_id(cursor, model: type[models.Model]) -> int:
    """The first free primary key of `model`, with the table locked against other writers until commit."""
    table = model._meta.db_table
    cursor.execute(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')
    cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')
    return cursor.fetchone()[0] + 1


def sync_sequence(cursor, model: type[models.Model]) -> None:
    """After rows with explicit ids: the next id the database hands out is above them all."""
    table = model._meta.db_table
    cursor.execute(
        f'SELECT setval(pg_get_serial_sequence(%s, \'id\'), GREATEST((SELECT MAX("id") FROM "{table}"), 1))',
        [f'"{table}"'],
    )
