"""Projects in one SQLite file inside the data folder, so the studio survives a restart.

    projects(id, title, created, cursor)      cursor: how many of its edits are in force
    edits(project, seq, body)                 the history: text changes and the director's pins
    plans(project, cursor, documents, views)  the plans made at that point of history
    jobs(id, project, status, message, folder, files, created)

Every call opens its own connection: requests and the job thread each run on their own threads,
and SQLite serialises the writers. Edits past the cursor are the redo stack; a new edit drops
them.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DB_NAME = "studio.sqlite3"
# A writer waits this long for another to finish before SQLite gives up.
BUSY_TIMEOUT_S = 30.0
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
INTERRUPTED = "interrupted by a restart of the server; shoot again"

SCHEMA = """
create table if not exists projects (
    id integer primary key, title text not null, created real not null,
    cursor integer not null default 0);
create table if not exists edits (
    project integer not null references projects(id), seq integer not null,
    body text not null, primary key (project, seq));
create table if not exists plans (
    project integer not null references projects(id), cursor integer not null,
    documents text not null, views text not null, primary key (project, cursor));
create table if not exists jobs (
    id integer primary key, project integer not null references projects(id),
    status text not null, message text not null default '', folder text not null default '',
    files text not null default '[]', created real not null);
"""


@dataclass(frozen=True)
class Job:
    """A shoot: its status (queued, running, done, failed), the one-line message of a failure,
    its output folder relative to the data folder and the files it wrote (relative to that)."""

    id: int
    project: int
    status: str
    message: str
    folder: str
    files: tuple[str, ...]

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "project": self.project,
            "status": self.status,
            "message": self.message,
            "files": list(self.files),
        }


class Store:
    """The studio's database in ``data_dir``; made (and interrupted jobs failed) on opening."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / DB_NAME
        with self._db() as db:
            db.executescript(SCHEMA)
            db.execute(
                "update jobs set status = ?, message = ? where status in (?, ?)",
                (FAILED, INTERRUPTED, QUEUED, RUNNING),
            )

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
        try:
            db.execute("pragma journal_mode = wal")
            with db:  # one transaction: committed on success, rolled back on an error
                yield db
        finally:
            db.close()

    def create_project(self, title: str, first_edit: dict[str, Any]) -> int:
        with self._db() as db:
            cursor = db.execute(
                "insert into projects (title, created, cursor) values (?, ?, 1)",
                (title, time.time()),
            )
            project = int(cursor.lastrowid or 0)
            db.execute("insert into edits values (?, 1, ?)", (project, json.dumps(first_edit)))
        return project

    def projects(self) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute("select id, title, cursor from projects order by id").fetchall()
        return [{"id": row[0], "title": row[1], "cursor": row[2]} for row in rows]

    def cursor(self, project: int) -> int | None:
        """How many edits are in force, or None when there is no such project."""
        with self._db() as db:
            row = db.execute("select cursor from projects where id = ?", (project,)).fetchone()
        return None if row is None else int(row[0])

    def history(self, project: int) -> list[dict[str, Any]]:
        """Every edit, redo stack included, in order."""
        with self._db() as db:
            rows = db.execute(
                "select body from edits where project = ? order by seq", (project,)
            ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def push_edit(self, project: int, edit: dict[str, Any], title: str) -> int:
        """Append ``edit`` at the cursor (dropping the redo stack); return the new cursor."""
        with self._db() as db:
            row = db.execute("select cursor from projects where id = ?", (project,)).fetchone()
            cursor = int(row[0])
            db.execute("delete from edits where project = ? and seq > ?", (project, cursor))
            db.execute("delete from plans where project = ? and cursor > ?", (project, cursor))
            db.execute(
                "insert into edits values (?, ?, ?)", (project, cursor + 1, json.dumps(edit))
            )
            db.execute(
                "update projects set cursor = ?, title = ? where id = ?",
                (cursor + 1, title, project),
            )
        return cursor + 1

    def move_cursor(self, project: int, cursor: int) -> None:
        with self._db() as db:
            db.execute("update projects set cursor = ? where id = ?", (cursor, project))

    def plans(self, project: int, cursor: int) -> tuple[str, str] | None:
        """The plan documents and their 3D views (JSON lists) made at ``cursor``, if kept."""
        with self._db() as db:
            row = db.execute(
                "select documents, views from plans where project = ? and cursor = ?",
                (project, cursor),
            ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def keep_plans(self, project: int, cursor: int, documents: str, views: str) -> None:
        with self._db() as db:
            db.execute(
                "insert or replace into plans values (?, ?, ?, ?)",
                (project, cursor, documents, views),
            )

    def create_job(self, project: int) -> Job:
        """A new job of ``project``, queued, as its row now reads (its columns' defaults)."""
        with self._db() as db:
            cursor = db.execute(
                "insert into jobs (project, status, created) values (?, ?, ?)",
                (project, QUEUED, time.time()),
            )
        return Job(int(cursor.lastrowid or 0), project, QUEUED, "", "", ())

    def update_job(
        self,
        job: int,
        status: str,
        message: str = "",
        folder: str = "",
        files: tuple[str, ...] = (),
    ) -> None:
        with self._db() as db:
            db.execute(
                "update jobs set status = ?, message = ?, folder = ?, files = ? where id = ?",
                (status, message, folder, json.dumps(list(files)), job),
            )

    def job(self, job: int) -> Job | None:
        with self._db() as db:
            row = db.execute(
                "select id, project, status, message, folder, files from jobs where id = ?",
                (job,),
            ).fetchone()
        if row is None:
            return None
        return Job(row[0], row[1], row[2], row[3], row[4], tuple(json.loads(row[5])))

    def jobs(self, project: int) -> list[Job]:
        with self._db() as db:
            ids = db.execute(
                "select id from jobs where project = ? order by id", (project,)
            ).fetchall()
        return [job for (number,) in ids if (job := self.job(number)) is not None]
