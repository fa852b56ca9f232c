"""A module imported on first use, for the command line's heavy libraries.

`sendesk --help` builds every command's parser; importing what the commands run (SQLAlchemy,
ReportLab, pypdf) at that point would cost most of a second before anything is printed.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands in for a module and imports it the first time one of its names is read.

    Declare it under `if TYPE_CHECKING: import x` / `else: x = LazyModule("x")`, so the type
    checker still sees the real module.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)

    def __repr__(self) -> str:
        return f"LazyModule({self._name!r})"
