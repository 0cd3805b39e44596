import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.worker import handlers
from tests.worker.handlers import RUN_TABLE

REPO = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(autouse=True)
def _fresh_runs():
    handlers.ran_jobs.clear()
    handlers.STOP.clear()
    yield
    handlers.ran_jobs.clear()


@dataclass
class SharedDatabase:
    """The test database, reachable from worker processes started with `start_worker`."""

    env: dict[str, str]
    tmp_path: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def start_worker(self, name: str) -> tuple[subprocess.Popen, Path, Path]:
        """Start `confab worker --once` in a process; return it, its ready and go files."""
        ready, go = self.tmp_path / f"{name}.ready", self.tmp_path / "go"
        command = [sys.executable, "-m", "tests.worker.race_worker", str(ready), str(go)]
        process = subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
            [*command, "--name", name],
            cwd=REPO,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.processes.append(process)
        return process, ready, go

    def runs(self) -> list[tuple[int, str]]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT job_id, worker FROM {RUN_TABLE}")  # noqa: S608
            return list(cursor.fetchall())


@pytest.fixture
def shared_database(transactional_db, tmp_path) -> Iterator[SharedDatabase]:
    """Let other processes use the test database, with a table where handlers record runs.

    On PostgreSQL they connect to the test database by name. Django keeps an SQLite test
    database in memory, where no other process can reach it; copy it to a file and point
    this process's connection there for the test.
    """
    env = {key: value for key, value in os.environ.items() if key != "CONFAB_DATABASE_URL"}
    env["CONFAB_LOG_LEVEL"] = "WARNING"
    memory = None
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        if connection.is_in_memory_db():
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [str(path)])
            # Put the in-memory connection aside without closing it: closing the last
            # connection to an in-memory database deletes the database.
            memory, memory_name = connection.connection, connection.settings_dict["NAME"]
            connection.connection = None
            connection.settings_dict["NAME"] = str(path)
        else:
            path = Path(connection.settings_dict["NAME"])
        env["CONFAB_SQLITE_PATH"] = str(path)
    else:
        db = connection.settings_dict
        env["CONFAB_DATABASE_URL"] = (
            f"postgresql://{quote(db['USER'], safe='')}:{quote(db['PASSWORD'], safe='')}"
            f"@{db['HOST']}:{db['PORT']}/{quote(db['NAME'], safe='')}"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {RUN_TABLE} (job_id BIGINT NOT NULL, worker TEXT)")
    shared = SharedDatabase(env=env, tmp_path=tmp_path)
    try:
        yield shared
    finally:
        for process in shared.processes:
            if process.poll() is None:
                process.kill()
            process.wait()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {RUN_TABLE}")
        if memory is not None:
            connection.close()
            connection.settings_dict["NAME"] = memory_name
            connection.connection = memory
