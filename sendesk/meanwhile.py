"""Work done on a thread of its own while the caller goes on, for work that lets go of Python's
lock (key derivation in OpenSSL, hashing a file, SQLite reading pages): on two cores the two then
run side by side instead of one after the other."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Meanwhile(Generic[T]):
    """`work(*args)` begun on a thread now; `result()` waits for it, and raises what it raised
    on the caller's thread rather than in a thread's log."""

    def __init__(self, work: Callable[..., T], *args: object) -> None:
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(work, args), daemon=True)
        self._thread.start()

    def _run(self, work: Callable[..., T], args: tuple[object, ...]) -> None:
        try:
            self._value = work(*args)
        except BaseException as exc:  # handed to the caller by `result`
            self._error = exc

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]  # set when no error was raised
