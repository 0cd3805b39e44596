"""Querysets compiled to SQL once per shape, then run with new values (decision 022).

Building a timeline's queryset (the visibility rules, mutes, blocks, lists, paging) and
compiling it to SQL costs several milliseconds of Python per page, while the database
answers it in a few hundred microseconds. The SQL is the same for every reader but for a
few numbers: the reader's id, the paging ids, the ids of followed hashtags. So a shape is
built once with stand-in numbers (sentinels), compiled, and each later run puts the real
numbers where the sentinels were.

A shape names everything that changes the SQL's text (which paging ids are present, how
many hashtags, signed in or out) in its key; values change only parameters. Compiling
checks that every sentinel became a parameter (none was written into the SQL text, none
was lost), so a queryset that does not fit this pattern fails loudly, at once.

Every value that can differ between requests must come in as a stand-in: any other value
the queryset holds (a `timezone.now()`, a setting) is frozen into the compiled form the
first time and used for every request after.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler

# Stand-in values: negative, so no real id can be mistaken for one, and within a 32-bit
# integer column's range (Django drops a value out of a column's range from a lookup).
_SENTINEL_BASE = -2_000_000_000

M = TypeVar("M", bound=Model)


def sentinels(names) -> dict[str, int]:
    """A distinct stand-in number for each name."""
    return {name: _SENTINEL_BASE - n for n, name in enumerate(names)}


def stand_in(model: type[M], pk: int) -> M:
    """An instance of `model` that filters can use as if saved with this primary key."""
    instance = model(pk=pk)
    instance._state.adding = False
    return instance


@dataclass(frozen=True)
class Compiled:
    """One query's SQL and parameters, with the places its values go."""

    alias: str
    sql: str
    params: tuple
    slots: tuple[tuple[int, str], ...]  # (index in params, value name)

    def bind(self, values: Mapping[str, int]) -> list:
        params = list(self.params)
        for index, name in self.slots:
            params[index] = values[name]
        return params

    def fetch(self, values: Mapping[str, int]) -> list[tuple]:
        """Run it; its rows as tuples, as the database gives them (a `values_list`).

        Only for columns the database returns as Python wants them (ids, counts, text,
        booleans): no field converters are applied.
        """
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, self.bind(values))
            return cursor.fetchall()

    def flat(self, values: Mapping[str, int]) -> list:
        """Run it; the first column of every row (a `values_list(..., flat=True)`)."""
        return [row[0] for row in self.fetch(values)]


def compile_queryset(queryset: QuerySet, stand_ins: Mapping[str, int]) -> Compiled:
    """Compile `queryset`, built with `stand_ins`, into SQL that takes real values later."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    names = {value: name for name, value in stand_ins.items()}
    slots = tuple(
        (index, names[param])
        for index, param in enumerate(params)
        if isinstance(param, int) and param in names
    )
    written = [name for name, value in stand_ins.items() if str(value) in sql]
    if written:
        raise ValueError(f"cannot prepare this query: values written into its SQL: {written}")
    return Compiled(queryset.db, sql, tuple(params), slots)


@dataclass(frozen=True)
class _Rows:
    """A model query compiled once: its queryset as built, SQL, and the compiler's reading
    of its columns (which model, field and annotation each column fills)."""

    template: QuerySet
    compiled: Compiled
    state: tuple
    converters: dict = field(default_factory=dict)  # by database vendor, filled on first run


_prepared_compilers: dict[type, type] = {}


def _prepared_compiler(base: type[SQLCompiler]) -> type[SQLCompiler]:
    """`base` (the database's SQLCompiler) answering with SQL compiled before."""
    if base not in _prepared_compilers:

        class PreparedCompiler(base):  # type: ignore[valid-type,misc]
            def as_sql(self, with_limits=True, with_col_aliases=False):
                return self.prepared_sql

            def get_converters(self, expressions):
                # The columns are the compiled query's, the same on every run: their
                # converters (a walk over every column's field) are worked out once.
                found = self.prepared_converters.get(self.connection.vendor)
                if found is None:
                    found = super().get_converters(expressions)
                    self.prepared_converters[self.connection.vendor] = found
                return found

        _prepared_compilers[base] = PreparedCompiler
    return _prepared_compilers[base]


_STATE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")


class Prepared:
    """Compiled queries, by shape, for the whole process.

    `get(key, build)` returns the Compiled list for `key`, calling `build()` (which returns
    `(querysets, stand_ins)`) the first time. Compiled SQL holds no connection, so every
    thread shares it.
    """

    def __init__(self) -> None:
        self._compiled: dict[Hashable, list[Compiled]] = {}
        self._rows: dict[Hashable, _Rows] = {}
        self._lock = threading.Lock()

    def get(
        self, key: Hashable, build: Callable[[], tuple[list[QuerySet], Mapping[str, int]]]
    ) -> list[Compiled]:
        found = self._compiled.get(key)
        if found is None:
            querysets, stand_ins = build()
            found = [compile_queryset(queryset, stand_ins) for queryset in querysets]
            used = {name for compiled in found for _, name in compiled.slots}
            if lost := set(stand_ins) - used:
                raise ValueError(f"cannot prepare {key!r}: no query takes {sorted(lost)}")
            with self._lock:
                self._compiled.setdefault(key, found)
        return found

    def rows(
        self,
        key: Hashable,
        build: Callable[[], tuple[QuerySet, Mapping[str, int]]],
        values: Mapping[str, int],
    ) -> list:
        """The model instances of a queryset compiled once per `key`, for `values`.

        Django still makes the instances (select_related models and annotations included)
        and runs the queryset's prefetches; only building and compiling the SQL is skipped.
        A list, not a queryset: filtering further would start from the stand-ins.
        """
        entry = self._rows.get(key)
        if entry is None:
            queryset, stand_ins = build()
            compiler = queryset.query.get_compiler(using=queryset.db)
            compiled = compile_queryset(queryset, stand_ins)
            compiler.as_sql()  # fills in the column reading the rows need
            if lost := set(stand_ins) - {name for _, name in compiled.slots}:
                raise ValueError(f"cannot prepare {key!r}: the query takes no {sorted(lost)}")
            entry = _Rows(queryset, compiled, tuple(getattr(compiler, a) for a in _STATE))
            with self._lock:
                self._rows.setdefault(key, entry)
        queryset = entry.template._chain()  # type: ignore[attr-defined]
        query = queryset.query
        sql = (entry.compiled.sql, entry.compiled.bind(values))

        def get_compiler(using=None, connection=None, elide_empty=True):
            connection = connection or connections[using]
            base = connection.ops.compiler(query.compiler)
            compiler = _prepared_compiler(base)(query, connection, using, elide_empty)
            for attribute, value in zip(_STATE, entry.state, strict=True):
                setattr(compiler, attribute, value)
            compiler.prepared_sql = sql
            compiler.prepared_converters = entry.converters
            return compiler

        query.get_compiler = get_compiler
        return list(queryset)

    def exists(
        self, key: Hashable, build: Callable[[Mapping[str, int]], QuerySet], **values: int
    ) -> bool:
        """Whether `build(stand_ins)` has a row for `values` (an `.exists()`)."""

        def compile_it():
            stand_ins = sentinels(values)
            return [build(stand_ins).values_list("pk")[:1]], stand_ins

        (query,) = self.get(key, compile_it)
        return bool(query.fetch(values))

    def clear(self) -> None:
        with self._lock:
            self._compiled.clear()
            self._rows.clear()


prepared = Prepared()
