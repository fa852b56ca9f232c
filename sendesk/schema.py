"""Alembic driven from code: the schema revision of a file, and upgrading it to this app's head."""

from __future__ import annotations

import ast
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import migrations

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection

# Alembic costs about half a second to import, so it is imported only to upgrade a file; the
# revisions are read from the migration files' own `revision` and `down_revision` lines.
DEFAULT_SCRIPT_LOCATION = Path(migrations.__file__).resolve().parent


def alembic_config(script_location: Path = DEFAULT_SCRIPT_LOCATION) -> Config:
    """A configuration with no URL: `migrations/env.py` takes the connection it is given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


# Parsed once per set of migration files. Parsing is also kept to one thread at a time: CPython
# 3.11's parser is not safe to run in several threads at once (seen as "AST constructor recursion
# depth mismatch" when twenty clients of a server connected together).
_parsed: dict[tuple[object, ...], dict[str, tuple[str, ...]]] = {}
_parsing = threading.Lock()


def _graph(script_location: Path) -> dict[str, tuple[str, ...]]:
    """Each revision and the revisions it follows, as its file declares them."""
    files = sorted((script_location / "versions").glob("*.py"))
    key = (script_location, *((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files))
    with _parsing:
        if key not in _parsed:
            _parsed[key] = _parse(files)
        return _parsed[key]


# A revision file's own `revision = ...` and `down_revision = ...` lines. Only these lines are
# parsed, not the whole file (parsing every file cost each open about 70 ms); an assignment
# spread over several lines (a merge's tuple) sends that file to the full parse.
_DECLARATION = re.compile(r"^(?:down_)?revision\b[^=\n]*=.*$", re.MULTILINE)


def _parse(files: list[Path]) -> dict[str, tuple[str, ...]]:
    graph: dict[str, tuple[str, ...]] = {}
    for path in files:
        source = path.read_text(encoding="utf-8")
        try:
            lines = "\n".join(m.group(0) for m in _DECLARATION.finditer(source))
            values = _declarations(ast.parse(lines).body)
        except SyntaxError:
            values = _declarations(ast.parse(source).body)
        revision, down = values.get("revision"), values.get("down_revision")
        if isinstance(revision, str):
            downs = (down,) if isinstance(down, str) else tuple(down or ())  # type: ignore[arg-type]
            graph[revision] = tuple(str(d) for d in downs)
    return graph


def _declarations(body: list[ast.stmt]) -> dict[str, object]:
    values: dict[str, object] = {}
    for node in body:
        if isinstance(node, ast.AnnAssign | ast.Assign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                    values[target.id] = ast.literal_eval(node.value)
    return values


def head_revision(script_location: Path = DEFAULT_SCRIPT_LOCATION) -> str:
    graph = _graph(script_location)
    heads = set(graph) - {down for downs in graph.values() for down in downs}
    if len(heads) != 1:
        raise RuntimeError(f"the migrations folder holds {len(heads)} heads, not one")
    return heads.pop()


def known_revisions(script_location: Path = DEFAULT_SCRIPT_LOCATION) -> list[str]:
    """Every revision this app knows, oldest first."""
    graph = _graph(script_location)
    order: list[str] = []

    def visit(revision: str) -> None:
        if revision in order or revision not in graph:
            return
        for down in graph[revision]:
            visit(down)
        order.append(revision)

    visit(head_revision(script_location))
    return order


def current_revision(connection: Connection) -> str | None:
    from sqlalchemy import inspect

    if not inspect(connection).has_table("alembic_version"):
        return None
    found = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return None if found is None else str(found)


def upgrade(
    connection: Connection,
    target: str = "head",
    script_location: Path = DEFAULT_SCRIPT_LOCATION,
) -> None:
    """Bring the schema to `target` on the given connection, in one transaction."""
    from alembic import command

    config = alembic_config(script_location)
    config.attributes["connection"] = connection
    command.upgrade(config, target)


def create_at_head(connection: Connection) -> None:
    """The schema of a new, empty file, at head, in the connection's transaction.

    Running the statements the migrations leave (`sendesk.schema_head`, checked against them by
    a test) costs a few milliseconds; importing Alembic and running every migration cost about
    0.3 s. Should the two disagree on the head revision (a migration added, the statements not
    yet written again), the migrations themselves make the file.
    """
    from sendesk import schema_head

    if head_revision() != schema_head.REVISION:
        upgrade(connection)
        return
    for statement in schema_head.STATEMENTS:
        connection.exec_driver_sql(statement)
    connection.exec_driver_sql(
        "INSERT INTO alembic_version (version_num) VALUES (?)", (schema_head.REVISION,)
    )


def downgrade(
    connection: Connection, target: str, script_location: Path = DEFAULT_SCRIPT_LOCATION
) -> None:
    """Take the schema back to `target` (developers and tests; the app never downgrades a file)."""
    from alembic import command

    config = alembic_config(script_location)
    config.attributes["connection"] = connection
    command.downgrade(config, target)
