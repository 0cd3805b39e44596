"""Two engines behind one interface: FTS5 on SQLite, full-text search on PostgreSQL.

An engine answers one question: which posts' text matches these phrases, newest first,
with a relevance score (higher is better), optionally only by some authors and between two
ids. Permissions are not its business: `confab.connections.search.queries` filters what it
returns through the visibility rules. Both engines build their query syntax from tokens
that `parse` cut and they quote here, so no user text is ever read as syntax.
"""

from dataclasses import dataclass

from django.db import connection

from confab.connections.search.parse import is_prefix
from confab.connections.search.schema import DOC_TABLE, FTS_TABLE
from confab.core.ids import TIME_SHIFT, next_id

Phrases = tuple[tuple[str, ...], ...]

_DAY_IDS = (24 * 3600 * 1000) << TIME_SHIFT  # snowflake ids per day
_WINDOW_DAYS = (1, 30)  # PostgreSQL reads matches in these windows first, then the rest


@dataclass(frozen=True)
class Match:
    post_id: int
    score: float  # higher is more relevant; comparable only within one search


class PostIndex:
    """One engine's full-text index of posts; subclasses write the SQL."""

    def statement(
        self,
        phrases: Phrases,
        *,
        account_ids: tuple[int, ...] = (),
        min_id: int | None = None,
        below_id: int | None = None,
        limit: int,
        prefix: bool = True,
    ) -> tuple[str, list]:
        """Return SQL selecting (post_id, score) of the matches, newest first, and params."""
        raise NotImplementedError

    def matches(
        self,
        phrases: Phrases,
        *,
        account_ids: tuple[int, ...] = (),
        min_id: int | None = None,
        below_id: int | None = None,
        limit: int,
        prefix: bool = True,
    ) -> list[Match]:
        """Return up to `limit` matching posts with `min_id <= id < below_id`, newest first.

        With `prefix`, the last token of each phrase also matches longer words it begins.
        """
        if not phrases:
            return []
        sql, params = self.statement(
            phrases,
            account_ids=account_ids,
            min_id=min_id,
            below_id=below_id,
            limit=limit,
            prefix=prefix,
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [Match(post_id, float(score)) for post_id, score in cursor.fetchall()]


class SQLiteIndex(PostIndex):
    """FTS5, ranked with bm25 (the post's text counts twice its content warning)."""

    @staticmethod
    def expression(
        phrases: Phrases, account_ids: tuple[int, ...] = (), *, prefix: bool = True
    ) -> str:
        parts = []
        for tokens in phrases:
            quoted = " ".join(token.replace('"', '""') for token in tokens)
            star = "*" if prefix and is_prefix(tokens[-1]) else ""
            parts.append(f'{{text spoiler_text}} : "{quoted}"{star}')
        if account_ids:
            authors = " OR ".join(f'"{int(i)}"' for i in account_ids)
            parts.append(f"account_id : ({authors})")
        return " AND ".join(parts)

    def statement(
        self,
        phrases: Phrases,
        *,
        account_ids: tuple[int, ...] = (),
        min_id: int | None = None,
        below_id: int | None = None,
        limit: int,
        prefix: bool = True,
    ) -> tuple[str, list]:
        # bm25 is lower for better matches: negated, so higher is better on both engines.
        sql = [
            f"SELECT rowid AS post_id, -bm25({FTS_TABLE}, 1.0, 0.5, 0.0) AS score",
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
        ]
        params: list = [self.expression(phrases, account_ids, prefix=prefix)]
        if min_id is not None:
            sql.append("AND rowid >= %s")
            params.append(min_id)
        if below_id is not None:
            sql.append("AND rowid < %s")
            params.append(below_id)
        sql.append("ORDER BY rowid DESC LIMIT %s")
        params.append(limit)
        return " ".join(sql), params


class PostgreSQLIndex(PostIndex):
    """A GIN-indexed tsvector per post, ranked with ts_rank (text weighs A, warning B)."""

    @staticmethod
    def _lexeme(token: str) -> str:
        return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"

    @classmethod
    def expression(cls, phrases: Phrases, *, prefix: bool = True) -> str:
        parts = []
        for tokens in phrases:
            lexemes = [cls._lexeme(token) for token in tokens]
            if prefix and is_prefix(tokens[-1]):
                lexemes[-1] += ":*"
            parts.append("(" + " <-> ".join(lexemes) + ")")
        return " & ".join(parts)

    def statement(
        self,
        phrases: Phrases,
        *,
        account_ids: tuple[int, ...] = (),
        min_id: int | None = None,
        below_id: int | None = None,
        limit: int,
        prefix: bool = True,
    ) -> tuple[str, list]:
        # Newest first, one window of time after another (the last day, the last month,
        # the rest), stopped by the outer LIMIT: PostgreSQL runs the branches of a UNION ALL
        # in order. Each branch is planned for its own id range, so two words that often go
        # together (which the planner takes for rare: it multiplies their frequencies) never
        # make it fetch and sort every match of the whole table.
        top = below_id if below_id is not None else next_id()
        bounds = [top - days * _DAY_IDS for days in _WINDOW_DAYS]
        expression = self.expression(phrases, prefix=prefix)
        branches: list[str] = []
        params: list = []
        upper: int | None = below_id
        for lower in [*bounds, None]:
            if min_id is not None and (lower is None or lower < min_id):
                lower = min_id
            sql = [
                f"SELECT post_id, ts_rank(document, query) AS score FROM {DOC_TABLE},",  # noqa: S608
                "to_tsquery('simple'::regconfig, %s) AS query WHERE document @@ query",
            ]
            params.append(expression)
            if account_ids:
                sql.append("AND account_id = ANY(%s)")
                params.append(list(account_ids))
            if lower is not None:
                sql.append("AND post_id >= %s")
                params.append(lower)
            if upper is not None:
                sql.append("AND post_id < %s")
                params.append(upper)
            sql.append("ORDER BY post_id DESC LIMIT %s")
            params.append(limit)
            branches.append("(" + " ".join(sql) + ")")
            if lower is None or lower == min_id:
                break
            upper = lower
        params.append(limit)
        union = " UNION ALL ".join(branches)
        return f"SELECT post_id, score FROM ({union}) AS windows LIMIT %s", params  # noqa: S608


def post_index() -> PostIndex:
    """Return the engine for the database in use."""
    if connection.vendor == "postgresql":
        return PostgreSQLIndex()
    return SQLiteIndex()
