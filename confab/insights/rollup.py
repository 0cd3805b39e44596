"""The activity rollups behind the heatmap, kept by database triggers (decision 018).

Two levels, each kept exact by triggers whatever wrote the rows (the post and favourite
actions, the cascades of a deleted post or account, bulk loads of demo data):

- `insights_activity`: per person and quarter-hour since the Unix epoch, how many posts,
  boosts (direct posts left out) and favourites they made then. Triggers on `posts_post`
  and `posts_favourite` add one on each insert and take one away on each delete (a row that
  reaches zero goes); a post whose visibility moves to or from direct moves with it.
- `insights_audience` and `insights_chataudience`: per followed person (or chat) and
  quarter-hour, the sum of their followers' activity. A change of `insights_activity` is
  added to every person and chat its owner follows; a new follow adds the follower's whole
  activity to the followed, an unfollow takes it away. So the heatmap reads at most 2,688
  rows a window whatever the number of followers. Rows that fall to zero stay (a follow
  gone): they add nothing.

Triggers, not a line in each action: a deleted post takes other people's boosts and
favourites with it through Django's cascade, which no action sees one by one, and a count
kept beside the rows it counts must not depend on every writer remembering it.

Both engines run the same arithmetic on the id (confab.core.ids): the quarter-hour is
`((id >> TIME_SHIFT) + EPOCH_MS) / 900000` in integer division. Every multi-row change walks
its rows in key order, so two transactions on PostgreSQL lock shared rows in the same order.
On SQLite a rebuilt table (a later migration that alters one of these tables) loses its
triggers, so they are installed again after every `migrate` (the post_migrate signal,
`confab.insights.apps`); `installed()` lets a test notice a missing one.
"""

from datetime import datetime, timedelta

from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from confab.core.ids import EPOCH_MS, TIME_SHIFT, id_for_time
from confab.posts.models import Visibility

TABLE = "insights_activity"
HORIZON_TABLE = "insights_horizon"
# The first quarter-hour kept (models.Horizon): activity older than it moves no audience.
HORIZON = f"(SELECT COALESCE(MAX(quarter), 0) FROM {HORIZON_TABLE})"  # noqa: S608
QUARTER_MS = 900_000
# The first fill counts this far back: the heatmap's 28 days and a day of margin.
REBUILD_DAYS = 29
DIRECT = Visibility.DIRECT.value

SQLITE_TRIGGERS = {
    "insights_post_insert": "AFTER INSERT ON posts_post WHEN NEW.visibility <> '{direct}' "
    "BEGIN {add_new}; END",
    "insights_post_delete": "AFTER DELETE ON posts_post WHEN OLD.visibility <> '{direct}' "
    "BEGIN {take_old}; END",
    # A post made direct leaves the counts; one opened up from direct joins them.
    "insights_post_hidden": "AFTER UPDATE OF visibility ON posts_post "
    "WHEN OLD.visibility <> '{direct}' AND NEW.visibility = '{direct}' BEGIN {take_old}; END",
    "insights_post_shown": "AFTER UPDATE OF visibility ON posts_post "
    "WHEN OLD.visibility = '{direct}' AND NEW.visibility <> '{direct}' BEGIN {add_new}; END",
    "insights_favourite_insert": "AFTER INSERT ON posts_favourite BEGIN {add_new}; END",
    "insights_favourite_delete": "AFTER DELETE ON posts_favourite BEGIN {take_old}; END",
}
AUDIENCES = [  # (table, its key, the follows table, the follower's column, the followed's)
    ("insights_audience", "account_id", "accounts_follow", "source_id", "target_id"),
    ("insights_chataudience", "chat_id", "chats_chatfollow", "account_id", "chat_id"),
]
# What an audience row points at. SQLite checks foreign keys at commit: a trigger must not
# count into the audience of a person or chat deleted in the same transaction (a cascade,
# or a test database being flushed table by table), or the commit fails.
PARENTS = {"insights_audience": "accounts_account", "insights_chataudience": "chats_chat"}
# A change of one person's activity in one quarter-hour, for everyone they follow.
SQLITE_FANOUT = {
    "insights_activity_insert": (
        f"AFTER INSERT ON insights_activity WHEN NEW.quarter >= {HORIZON}",
        "NEW",
        "NEW.actions",
    ),
    "insights_activity_update": (
        "AFTER UPDATE OF actions ON insights_activity "
        f"WHEN NEW.actions <> OLD.actions AND NEW.quarter >= {HORIZON}",
        "NEW",
        "NEW.actions - OLD.actions",
    ),
    "insights_activity_delete": (
        f"AFTER DELETE ON insights_activity WHEN OLD.actions <> 0 AND OLD.quarter >= {HORIZON}",
        "OLD",
        "-OLD.actions",
    ),
}


def _quarter(row: str) -> str:
    return f"((({row}.id >> {TIME_SHIFT}) + {EPOCH_MS}) / {QUARTER_MS})"


def _sqlite_statements() -> list[str]:
    add_new = (
        f"INSERT INTO {TABLE} (account_id, quarter, actions) "  # noqa: S608
        f"VALUES (NEW.account_id, {_quarter('NEW')}, 1) "
        f"ON CONFLICT (account_id, quarter) DO UPDATE SET actions = actions + 1"
    )
    where_old = f"account_id = OLD.account_id AND quarter = {_quarter('OLD')}"
    take_old = (
        f"UPDATE {TABLE} SET actions = actions - 1 WHERE {where_old}; "  # noqa: S608
        f"DELETE FROM {TABLE} WHERE {where_old} AND actions <= 0"
    )
    statements = []
    for name, body in SQLITE_TRIGGERS.items():
        statements.append(f"DROP TRIGGER IF EXISTS {name}")
        statements.append(
            f"CREATE TRIGGER {name} "
            + body.format(direct=DIRECT, add_new=add_new, take_old=take_old)
        )
    for name, (when, row, delta) in SQLITE_FANOUT.items():
        body = "; ".join(
            _sqlite_audience_change(
                table,
                key,
                keys=f"SELECT {followed} AS k FROM {follows} WHERE {follower} = {row}.account_id",  # noqa: S608
                quarter=f"{row}.quarter",
                delta=delta,
            )
            for table, key, follows, follower, followed in AUDIENCES
        )
        statements.append(f"DROP TRIGGER IF EXISTS {name}")
        statements.append(f"CREATE TRIGGER {name} {when} BEGIN {body}; END")
    for table, key, follows, follower, followed in AUDIENCES:
        name = f"insights_{follows}_insert"
        statements.append(f"DROP TRIGGER IF EXISTS {name}")
        statements.append(
            f"CREATE TRIGGER {name} AFTER INSERT ON {follows} BEGIN "  # noqa: S608
            f"INSERT INTO {table} ({key}, quarter, actions) "
            f"SELECT NEW.{followed}, a.quarter, a.actions FROM {TABLE} a "
            f"WHERE a.account_id = NEW.{follower} AND a.quarter >= {HORIZON} "
            f"AND EXISTS (SELECT 1 FROM {PARENTS[table]} p WHERE p.id = NEW.{followed}) "
            "ORDER BY a.quarter "
            f"ON CONFLICT ({key}, quarter) DO UPDATE SET actions = actions + excluded.actions; "
            "END"
        )
        # An unfollow takes the follower's counts out of rows that exist; it never adds a
        # row (see _sqlite_audience_change).
        name = f"insights_{follows}_delete"
        statements.append(f"DROP TRIGGER IF EXISTS {name}")
        statements.append(
            f"CREATE TRIGGER {name} AFTER DELETE ON {follows} BEGIN "  # noqa: S608
            f"UPDATE {table} SET actions = actions - ("
            f"SELECT a.actions FROM {TABLE} a "
            f"WHERE a.account_id = OLD.{follower} AND a.quarter = {table}.quarter) "
            f"WHERE {key} = OLD.{followed} AND quarter IN ("
            f"SELECT a.quarter FROM {TABLE} a "
            f"WHERE a.account_id = OLD.{follower} AND a.quarter >= {HORIZON}); "
            f"DELETE FROM {table} WHERE {key} = OLD.{followed} AND actions <= 0; "
            "END"
        )
    return statements


def _sqlite_audience_change(table: str, key: str, *, keys: str, quarter: str, delta: str) -> str:
    """Add `delta` to the audience rows of `keys` in `quarter` (SQLite trigger statements).

    Only a positive change adds rows. A negative one lowers rows that exist and drops those
    left at nothing: a row added to take something away could point at a person deleted
    later in the same transaction (a cascade, or a database flushed table by table in any
    order), and SQLite would refuse the commit.
    """
    return (
        f"INSERT INTO {table} ({key}, quarter, actions) "  # noqa: S608
        f"SELECT f.k, {quarter}, {delta} FROM ({keys}) f "
        f"WHERE {delta} > 0 AND EXISTS (SELECT 1 FROM {PARENTS[table]} p WHERE p.id = f.k) "
        "ORDER BY f.k "
        f"ON CONFLICT ({key}, quarter) DO UPDATE SET actions = actions + excluded.actions; "
        f"UPDATE {table} SET actions = actions + {delta} "
        f"WHERE {delta} < 0 AND quarter = {quarter} AND {key} IN ({keys}); "
        f"DELETE FROM {table} "
        f"WHERE {delta} < 0 AND quarter = {quarter} AND actions <= 0 AND {key} IN ({keys})"
    )


def _postgresql_statements() -> list[str]:
    add = f"""
CREATE OR REPLACE FUNCTION insights_activity_add(who bigint, row_id bigint, delta integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    q bigint := ((row_id >> {TIME_SHIFT}) + {EPOCH_MS}) / {QUARTER_MS};
BEGIN
    IF delta > 0 THEN
        INSERT INTO {TABLE} (account_id, quarter, actions) VALUES (who, q, delta)
        ON CONFLICT (account_id, quarter)
        DO UPDATE SET actions = {TABLE}.actions + EXCLUDED.actions;
    ELSE
        UPDATE {TABLE} SET actions = actions + delta WHERE account_id = who AND quarter = q;
        DELETE FROM {TABLE} WHERE account_id = who AND quarter = q AND actions <= 0;
    END IF;
END $$"""  # noqa: S608
    post = f"""
CREATE OR REPLACE FUNCTION insights_activity_post() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.visibility <> '{DIRECT}' THEN
        PERFORM insights_activity_add(OLD.account_id, OLD.id, -1);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.visibility <> '{DIRECT}' THEN
        PERFORM insights_activity_add(NEW.account_id, NEW.id, 1);
    END IF;
    RETURN NULL;
END $$"""
    favourite = """
CREATE OR REPLACE FUNCTION insights_activity_favourite() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM insights_activity_add(OLD.account_id, OLD.id, -1);
    ELSE
        PERFORM insights_activity_add(NEW.account_id, NEW.id, 1);
    END IF;
    RETURN NULL;
END $$"""
    fanout = "\n".join(
        f"""    INSERT INTO {table} ({key}, quarter, actions)
    SELECT f.{followed}, q, delta FROM {follows} f WHERE f.{follower} = who ORDER BY f.{followed}
    ON CONFLICT ({key}, quarter) DO UPDATE SET actions = {table}.actions + EXCLUDED.actions;"""  # noqa: S608
        for table, key, follows, follower, followed in AUDIENCES
    )
    spread = f"""
CREATE OR REPLACE FUNCTION insights_activity_spread() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    who bigint;
    q bigint;
    delta integer;
BEGIN
    IF TG_OP = 'DELETE' THEN
        who := OLD.account_id; q := OLD.quarter; delta := -OLD.actions;
    ELSIF TG_OP = 'UPDATE' THEN
        who := NEW.account_id; q := NEW.quarter; delta := NEW.actions - OLD.actions;
    ELSE
        who := NEW.account_id; q := NEW.quarter; delta := NEW.actions;
    END IF;
    IF delta <> 0 AND q >= {HORIZON} THEN
{fanout}
    END IF;
    RETURN NULL;
END $$"""
    statements = [add, post, favourite, spread]
    triggers = [
        (
            "insights_activity_spread",
            TABLE,
            "AFTER INSERT OR DELETE OR UPDATE OF actions",
            "activity_spread",
        ),
        ("insights_post_write", "posts_post", "AFTER INSERT OR DELETE", "activity_post"),
        (
            "insights_post_visibility",
            "posts_post",
            "AFTER UPDATE OF visibility",
            "activity_post",
            "WHEN ((OLD.visibility = '{d}') IS DISTINCT FROM (NEW.visibility = '{d}'))",
        ),
        (
            "insights_favourite_write",
            "posts_favourite",
            "AFTER INSERT OR DELETE",
            "activity_favourite",
        ),
    ]
    for table, key, follows, follower, followed in AUDIENCES:
        statements.append(f"""
CREATE OR REPLACE FUNCTION insights_{follows}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO {table} ({key}, quarter, actions)
        SELECT OLD.{followed}, a.quarter, -a.actions FROM {TABLE} a
        WHERE a.account_id = OLD.{follower} AND a.quarter >= {HORIZON} ORDER BY a.quarter
        ON CONFLICT ({key}, quarter) DO UPDATE SET actions = {table}.actions + EXCLUDED.actions;
    ELSE
        INSERT INTO {table} ({key}, quarter, actions)
        SELECT NEW.{followed}, a.quarter, a.actions FROM {TABLE} a
        WHERE a.account_id = NEW.{follower} AND a.quarter >= {HORIZON} ORDER BY a.quarter
        ON CONFLICT ({key}, quarter) DO UPDATE SET actions = {table}.actions + EXCLUDED.actions;
    END IF;
    RETURN NULL;
END $$""")  # noqa: S608
        triggers.append((f"insights_{follows}", follows, "AFTER INSERT OR DELETE", follows))
    for name, table, when, function, *condition in triggers:
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        statements.append(
            f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW "
            + (condition[0].format(d=DIRECT) + " " if condition else "")
            + f"EXECUTE FUNCTION insights_{function}()"
        )
    return statements


PG_TRIGGERS = {  # trigger → its table
    "insights_activity_spread": TABLE,
    "insights_post_write": "posts_post",
    "insights_post_visibility": "posts_post",
    "insights_favourite_write": "posts_favourite",
    "insights_accounts_follow": "accounts_follow",
    "insights_chats_chatfollow": "chats_chatfollow",
}
PG_FUNCTIONS = [
    "insights_activity_spread()",
    "insights_activity_post()",
    "insights_activity_favourite()",
    "insights_accounts_follow()",
    "insights_chats_chatfollow()",
    "insights_activity_add(bigint, bigint, integer)",
]


def trigger_names(connection: BaseDatabaseWrapper) -> list[str]:
    if connection.vendor == "postgresql":
        return list(PG_TRIGGERS)
    return [
        *SQLITE_TRIGGERS,
        *SQLITE_FANOUT,
        *(f"insights_{a[2]}_{event}" for a in AUDIENCES for event in ("insert", "delete")),
    ]


def _ready(connection: BaseDatabaseWrapper) -> bool:
    tables = set(connection.introspection.table_names())
    needed = {TABLE, HORIZON_TABLE, "posts_post", "posts_favourite", *(a[0] for a in AUDIENCES)}
    return needed | {a[2] for a in AUDIENCES} <= tables


def install(connection: BaseDatabaseWrapper) -> None:
    """(Re)create the triggers; safe to repeat. Nothing to do before the tables exist."""
    if not _ready(connection):
        return
    if connection.vendor == "postgresql":
        statements = _postgresql_statements()
    else:
        statements = _sqlite_statements()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name, table in PG_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            for function in PG_FUNCTIONS:
                cursor.execute(f"DROP FUNCTION IF EXISTS {function}")
        else:
            for name in trigger_names(connection):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def installed(connection: BaseDatabaseWrapper) -> set[str]:
    """The rollup's triggers present in the database (a test checks none went missing)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()} & set(trigger_names(connection))


def prune(
    connection: BaseDatabaseWrapper, *, now: datetime | None = None, limit: int = 5000
) -> bool:
    """Delete up to `limit` rows of each rollup table from before the days the heatmap
    reads (REBUILD_DAYS back from `now`); return whether any table has more to delete.

    Without this the tables grow for ever: a quarter-hour row per active person, and one
    per followed person or chat whose followers did anything, every quarter-hour.
    The horizon (models.Horizon) moves up first, in the same transaction: the triggers
    then leave audiences alone for activity older than it, so deleting an old activity
    row is one write instead of one per person its owner follows, and the old audience
    rows are simply deleted. The quarter-hours kept are untouched, so every audience
    still equals its followers' activity there, as after `rebuild`; a follow or unfollow
    moves only the follower's activity from the horizon on. A post or favourite deleted
    later in a pruned quarter-hour finds no row to take its count from: a no-op.
    """
    cutoff = _quarter_at((now or timezone.now()) - timedelta(days=REBUILD_DAYS))
    _raise_horizon(connection, cutoff)
    more = False
    with connection.cursor() as cursor:
        for table in (*(a[0] for a in AUDIENCES), TABLE):
            # Oldest rows first by id: old quarter-hours were mostly written long ago, so
            # this stops early without an index on the quarter-hour.
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN ("  # noqa: S608
                f"SELECT id FROM {table} WHERE quarter < %s ORDER BY id LIMIT %s)",
                [cutoff, limit],
            )
            more = more or cursor.rowcount >= limit
    return more


def _quarter_at(moment: datetime) -> int:
    return int(moment.timestamp() * 1000) // QUARTER_MS


def _raise_horizon(connection: BaseDatabaseWrapper, quarter: int) -> None:
    """Keep the rollup from `quarter` on (never lowering what an earlier prune chose)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(quarter), 0) FROM {HORIZON_TABLE}")  # noqa: S608
        if cursor.fetchone()[0] >= quarter:
            return
        cursor.execute(f"DELETE FROM {HORIZON_TABLE}")  # noqa: S608
        cursor.execute(f"INSERT INTO {HORIZON_TABLE} (quarter) VALUES (%s)", [quarter])  # noqa: S608


def rebuild(connection: BaseDatabaseWrapper, *, now: datetime | None = None) -> None:
    """Count again from the rows themselves (the migration's first fill), over the days the
    heatmap reads (REBUILD_DAYS back from `now`).

    Older activity is never shown, and on a large instance counting all of history into
    every followed person's audience is hours of work (a million posts and 1.5M follows:
    ~150M joined rows). Both tables start from the same days, and the horizon with them,
    so the follow and unfollow triggers, which move a follower's rows from the horizon on,
    keep them consistent.
    The triggers are off meanwhile (and back on after), so nothing is counted twice.
    """
    start = (now or timezone.now()) - timedelta(days=REBUILD_DAYS)
    since = id_for_time(start)
    uninstall(connection)
    # The first fill (migration 0002) runs before the horizon's table exists.
    horizon = HORIZON_TABLE in connection.introspection.table_names()
    with connection.cursor() as cursor:
        for table in (TABLE, *(a[0] for a in AUDIENCES)):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        if horizon:
            # What is counted starts here; a prune later moves it on.
            cursor.execute(f"DELETE FROM {HORIZON_TABLE}")  # noqa: S608
            cursor.execute(
                f"INSERT INTO {HORIZON_TABLE} (quarter) VALUES (%s)",  # noqa: S608
                [_quarter_at(start)],
            )
        cursor.execute(
            f"INSERT INTO {TABLE} (account_id, quarter, actions) "  # noqa: S608
            "SELECT account_id, quarter, COUNT(*) FROM ("
            f"SELECT p.account_id, {_quarter('p')} AS quarter FROM posts_post p "
            f"WHERE p.visibility <> '{DIRECT}' AND p.id >= {since} "
            f"UNION ALL SELECT f.account_id, {_quarter('f')} FROM posts_favourite f "
            f"WHERE f.id >= {since}"
            ") AS done GROUP BY account_id, quarter"
        )
        for table, key, follows, follower, followed in AUDIENCES:
            cursor.execute(
                f"INSERT INTO {table} ({key}, quarter, actions) "  # noqa: S608
                f"SELECT f.{followed}, a.quarter, SUM(a.actions) FROM {follows} f "
                f"JOIN {TABLE} a ON a.account_id = f.{follower} "
                f"GROUP BY f.{followed}, a.quarter"
            )
    install(connection)
