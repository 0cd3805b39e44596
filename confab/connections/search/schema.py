"""The post search index on each database, and the triggers that keep it right.

SQLite: an FTS5 table over `posts_post` (external content, so the text is not stored
twice) whose rowid is the post id. PostgreSQL: a table of one `tsvector` per post with a GIN
index. On both, triggers on `posts_post` write the index in the same transaction as the
post, whatever writes it: the actions, a bulk import, a cascade when an account is deleted.
Boosts carry no text of their own and are left out.

The migration `connections.0001_search` runs `create`; a change here needs a new migration.
"""

# The statements below spell these names out (plain strings, no formatting).
FTS_TABLE = "connections_post_fts"
DOC_TABLE = "connections_post_document"

# Tokens: runs of letters, digits, symbols (FTS5's unicode61 rules); no diacritic folding,
# so both engines agree (PostgreSQL's `simple` configuration does not fold them either).
_SQLITE = [
    """CREATE VIRTUAL TABLE connections_post_fts USING fts5(
        text, spoiler_text, account_id,
        content='posts_post', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', prefix='3 4 5'
    )""",
    """CREATE TRIGGER connections_post_fts_insert AFTER INSERT ON posts_post
        WHEN new.boost_of_id IS NULL BEGIN
            INSERT INTO connections_post_fts (rowid, text, spoiler_text, account_id)
            VALUES (new.id, new.text, new.spoiler_text, new.account_id);
        END""",
    """CREATE TRIGGER connections_post_fts_delete AFTER DELETE ON posts_post
        WHEN old.boost_of_id IS NULL BEGIN
            INSERT INTO connections_post_fts (connections_post_fts, rowid, text, spoiler_text, account_id)
            VALUES ('delete', old.id, old.text, old.spoiler_text, old.account_id);
        END""",
    """CREATE TRIGGER connections_post_fts_update AFTER UPDATE OF text, spoiler_text, account_id
        ON posts_post WHEN old.boost_of_id IS NULL BEGIN
            INSERT INTO connections_post_fts (connections_post_fts, rowid, text, spoiler_text, account_id)
            VALUES ('delete', old.id, old.text, old.spoiler_text, old.account_id);
            INSERT INTO connections_post_fts (rowid, text, spoiler_text, account_id)
            VALUES (new.id, new.text, new.spoiler_text, new.account_id);
        END""",
    """INSERT INTO connections_post_fts (rowid, text, spoiler_text, account_id)
        SELECT id, text, spoiler_text, account_id FROM posts_post WHERE boost_of_id IS NULL""",
]

_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS connections_post_fts_insert",
    "DROP TRIGGER IF EXISTS connections_post_fts_delete",
    "DROP TRIGGER IF EXISTS connections_post_fts_update",
    "DROP TABLE IF EXISTS connections_post_fts",
]

# Punctuation and spaces become plain spaces before PostgreSQL's parser sees the text, so
# "foo_bar", "a.b" and URLs split into words the way FTS5 splits them.
_POSTGRESQL = [
    """CREATE FUNCTION connections_post_document_of(body text, spoiler text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT setweight(to_tsvector('simple'::regconfig,
                       regexp_replace(coalesce(body, ''), '[[:punct:][:space:]]+', ' ', 'g')),
                   'A')
                || setweight(to_tsvector('simple'::regconfig,
                       regexp_replace(coalesce(spoiler, ''), '[[:punct:][:space:]]+', ' ', 'g')),
                   'B')
        $$""",
    """CREATE TABLE connections_post_document (
        post_id bigint PRIMARY KEY,
        account_id bigint NOT NULL,
        document tsvector NOT NULL
    )""",
    "CREATE INDEX connections_post_document_gin ON connections_post_document USING gin (document)",
    "CREATE INDEX connections_post_document_account ON connections_post_document (account_id, post_id)",
    """CREATE FUNCTION connections_post_document_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                DELETE FROM connections_post_document WHERE post_id = OLD.id;
                RETURN OLD;
            END IF;
            IF NEW.boost_of_id IS NOT NULL THEN
                RETURN NEW;
            END IF;
            INSERT INTO connections_post_document (post_id, account_id, document)
            VALUES (NEW.id, NEW.account_id, connections_post_document_of(NEW.text, NEW.spoiler_text))
            ON CONFLICT (post_id) DO UPDATE
                SET account_id = EXCLUDED.account_id, document = EXCLUDED.document;
            RETURN NEW;
        END
    $$""",
    """CREATE TRIGGER connections_post_document_sync
        AFTER INSERT OR UPDATE OF text, spoiler_text, account_id OR DELETE ON posts_post
        FOR EACH ROW EXECUTE FUNCTION connections_post_document_sync()""",
    """CREATE FUNCTION connections_post_document_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            TRUNCATE connections_post_document;
            RETURN NULL;
        END
    $$""",
    """CREATE TRIGGER connections_post_document_truncate AFTER TRUNCATE ON posts_post
        FOR EACH STATEMENT EXECUTE FUNCTION connections_post_document_truncate()""",
    """INSERT INTO connections_post_document (post_id, account_id, document)
        SELECT id, account_id, connections_post_document_of(text, spoiler_text) FROM posts_post
        WHERE boost_of_id IS NULL""",
]

_POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS connections_post_document_truncate ON posts_post",
    "DROP TRIGGER IF EXISTS connections_post_document_sync ON posts_post",
    "DROP FUNCTION IF EXISTS connections_post_document_truncate()",
    "DROP FUNCTION IF EXISTS connections_post_document_sync()",
    "DROP TABLE IF EXISTS connections_post_document",
    "DROP FUNCTION IF EXISTS connections_post_document_of(text, text)",
]


def _run(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def create(connection) -> None:
    """Create the index for this database and fill it from the posts already there."""
    if connection.vendor == "postgresql":
        _run(connection, _POSTGRESQL)
    elif connection.vendor == "sqlite":
        _run(connection, _SQLITE)
    else:
        raise NotImplementedError(f"Search has no engine for {connection.vendor}.")


def drop(connection) -> None:
    if connection.vendor == "postgresql":
        _run(connection, _POSTGRESQL_DROP)
    elif connection.vendor == "sqlite":
        _run(connection, _SQLITE_DROP)


def _sqlite_triggers() -> dict[str, str]:
    """The SQLite index's triggers by name, from the statements above."""
    triggers = {}
    for statement in _SQLITE:
        words = statement.split()
        if words[:2] == ["CREATE", "TRIGGER"]:
            triggers[words[2]] = statement
    return triggers


def ensure_triggers(connection) -> list[str]:
    """Put back the SQLite triggers a migration dropped; return the names restored.

    SQLite drops a table's triggers when a migration rebuilds the table (any ALTER that
    SQLite cannot do in place: Django copies `posts_post` into a new table). The index
    would then silently stop following new posts, so after every migrate the missing
    triggers are created again and the index is rebuilt from the posts, since writes may
    have happened in between. PostgreSQL keeps triggers across ALTER TABLE.
    """
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            [f"{FTS_TABLE}%"],
        )
        present = {name for (name,) in cursor.fetchall()}
        if FTS_TABLE not in present:  # the search migration has not run yet
            return []
        missing = [name for name in _sqlite_triggers() if name not in present]
        for name in missing:
            cursor.execute(_sqlite_triggers()[name])
        if missing:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')")  # noqa: S608
    return missing
