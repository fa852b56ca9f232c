"""One sort order on both back ends: by the code points of a value, whatever the server's locale.

SQLite compares text byte by byte; a PostgreSQL server compares by its locale, which ignores
spaces and apostrophes ("O'Brien" sorts among the "Ob…"s under en_GB but before them in SQLite).
The register sorts by `Pupil.search_text`, already folded for case and accents, so comparing code
points gives the order a person expects, and the same order on a laptop and on the team server.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import String

from sendesk import code_order


class in_code_order(FunctionElement[str]):  # noqa: N801 - reads as SQL: ORDER BY in_code_order(x)
    """`ORDER BY in_code_order(column)`: the column compared by code point on every back end."""

    type = String()
    inherit_cache = True

    def __init__(self, column: ColumnElement[str] | InstrumentedAttribute[str]) -> None:
        super().__init__(column)


@compiles(in_code_order)
def _in_code_order(element: in_code_order, compiler: Any, **kw: Any) -> str:
    column = str(compiler.process(element.clauses, **kw))
    return code_order.in_code_order(column, compiler.dialect.name)
