"""Reading a file the user names as an input, safely: only an ordinary file, and never unbounded.

A named pipe would block the open until something writes to it, and a device such as /dev/zero
reports no size and never ends. So the file is opened without blocking, checked to be a regular
file on the open handle (no swap between a check and the open), and read with the size limit
counted as it goes, not only as the file system reported it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sendesk.errors import BadInput

_CHUNK = 1024 * 1024


class TooBig(BadInput):
    """The input is over the limit; `size` is its size, or how much was read before stopping."""

    def __init__(self, path: Path, size: int, limit: int) -> None:
        self.size = size
        super().__init__(
            f"{path.name} is more than {limit // 1024 // 1024 or 1} MB, larger than SENDesk "
            "reads; check that this is the right file."
        )


def read_input(path: Path, limit: int) -> bytes:
    """The bytes of an ordinary file of at most `limit` bytes, or `BadInput` saying why not."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as exc:
        raise BadInput(f"There is no file at {path}.") from exc
    except IsADirectoryError as exc:
        raise BadInput(f"{path} is a folder, not a file.") from exc
    except PermissionError as exc:
        if path.is_dir():  # Windows refuses to open a folder this way
            raise BadInput(f"{path} is a folder, not a file.") from exc
        raise BadInput(f"{path} cannot be read: permission denied.") from exc
    except OSError as exc:
        raise BadInput(f"{path} cannot be read: {exc.strerror or exc}.") from exc
    try:
        found = os.fstat(fd)  # of the open file, not of whatever the name points at now
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(found.st_mode):
        os.close(fd)
        if stat.S_ISDIR(found.st_mode):
            raise BadInput(f"{path} is a folder, not a file.")
        raise BadInput(
            f"{path} is not an ordinary file (it is a pipe, socket or device); "
            "SENDesk reads only files saved on a disk."
        )
    if found.st_size > limit:
        os.close(fd)
        raise TooBig(path, found.st_size, limit)
    with os.fdopen(fd, "rb", buffering=0) as handle:
        parts: list[bytes] = []
        total = 0
        try:
            while chunk := handle.read(min(_CHUNK, limit + 1 - total)):
                parts.append(chunk)
                total += len(chunk)
                if total > limit:  # the file grew, or its size was not what it said
                    raise TooBig(path, total, limit)
        except OSError as exc:
            raise BadInput(f"{path} cannot be read: {exc.strerror or exc}.") from exc
    return b"".join(parts)
