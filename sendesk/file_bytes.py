"""Reading a record file's own bytes beside SQLite without letting go of SQLite's locks.

On Linux and macOS a process's locks on a file are POSIX record locks, and closing *any*
descriptor of that file releases every one of them, SQLite's included (SQLite itself never
closes a descriptor while it holds a lock). A digest or a copy of the file read with open() and
close() while a connection of this process holds its read or write lock would let another
process write in the middle. So on POSIX the file is read through one descriptor per file (by
device and inode), kept until no SENDesk in this process has the file open (`release`); on
Windows, where a lock belongs to its handle, a handle is opened and closed each time.

A private file that no connection has open (a backup's temporary copy) is read plainly
(`private=True`), and its descriptor never kept.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from sendesk import atomic

Read = Callable[[int, int], bytes]  # (offset, length) -> at most length bytes from offset

_KEPT: dict[tuple[int, int], int] = {}  # (device, inode) -> descriptor
_NAMED: dict[tuple[int, int], str] = {}  # (device, inode) -> the path it was opened by
_GUARD = threading.Lock()
_POSIX = os.name != "nt" and hasattr(os, "pread")


@contextlib.contextmanager
def opened(path: Path, *, private: bool = False) -> Iterator[tuple[Read, int]]:
    """A reader of `path`'s bytes and its size now; raises OSError as open() would."""
    if private or not _POSIX:
        with path.open("rb") as f:
            reading = threading.Lock()  # seek then read, as one step

            def read(offset: int, length: int) -> bytes:
                with reading:
                    f.seek(offset)
                    return f.read(length)

            yield read, os.fstat(f.fileno()).st_size
        return
    fd = _descriptor(path)
    yield (lambda offset, length: _pread(fd, offset, length)), os.fstat(fd).st_size


def release(path: Path) -> None:
    """Let go of the descriptor kept for `path`, once no SENDesk in this process has it open:
    call only when this process holds no connection to it (a record file is closed)."""
    if not _POSIX or atomic.is_open_record(path):
        return
    # Every descriptor opened by this path, whatever is there now: a file renamed over it (a new
    # passphrase, a restore) or deleted would else keep the old one's disk space.
    name = str(Path(path).absolute())
    with _GUARD:
        gone = [key for key, named in _NAMED.items() if named == name]
        fds = [_KEPT.pop(key) for key in gone if key in _KEPT]
        for key in gone:
            del _NAMED[key]
    for fd in fds:
        os.close(fd)


def _descriptor(path: Path) -> int:
    st = path.stat()
    with _GUARD:
        fd = _KEPT.get((st.st_dev, st.st_ino))
        if fd is not None:
            return fd
        fd = os.open(path, os.O_RDONLY)
        now = os.fstat(fd)
        # Replaced between the stat and the open: kept under what was opened (never closed
        # here: a connection may hold a lock on it).
        key = (now.st_dev, now.st_ino)
        _NAMED.setdefault(key, str(Path(path).absolute()))
        return _KEPT.setdefault(key, fd)


def _pread(fd: int, offset: int, length: int) -> bytes:
    parts = []
    while length > 0 and (chunk := os.pread(fd, length, offset)):
        parts.append(chunk)
        offset += len(chunk)
        length -= len(chunk)
    return b"".join(parts)
