"""The one way SENDesk writes a file: to a temporary beside the target, flushed, then renamed.

Whatever goes wrong (a full disk, a kill, a crash), the target is either untouched or complete.
An existing target is refused unless `overwrite` is asked for; a symbolic link is never followed
(a link at the target is refused, and the temporary is created exclusively, so no link can be
planted under its name); only regular files are written: a folder, a FIFO or a device such as
`/dev/full` at the target is refused.

The temporary carries the writer's process id, so a partial that a killed SENDesk left behind
(a plaintext partial of a document, say) is removed before the next write in that folder, and,
because each folder being written to is noted until its write is done, when the next file is
opened. The note names only folders with a write under way (a folder's name can carry a pupil's),
and is emptied as each write ends.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import stat
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import BinaryIO

from sendesk import FILE_SUFFIX, paths
from sendesk.errors import FileProblem, SendeskError, known_failure

Fill = Callable[[BinaryIO], None]

_OURS = re.compile(r"\..+\.(\d+)-[0-9a-f]{8}\.(tmp|part)(-journal)?")
_OLD_PARTIAL = re.compile(r"\..+\.part")  # an earlier SENDesk's partial: no process id in it
_OLD_PARTIAL_AGE = dt.timedelta(minutes=10)
_REMEMBERED = "written-folders.txt"
_REMEMBER_AT_MOST = 50


# The record files open in this process (a count for each): no export is ever written over one.
_OPEN_RECORDS: dict[Path, int] = {}


def records_opened(path: Path) -> None:
    """`path` is an open record file: refused as the target of any write from now on."""
    key = _key(path)
    _OPEN_RECORDS[key] = _OPEN_RECORDS.get(key, 0) + 1


def records_closed(path: Path) -> None:
    key = _key(path)
    if _OPEN_RECORDS.get(key, 0) > 1:
        _OPEN_RECORDS[key] -= 1
    else:
        _OPEN_RECORDS.pop(key, None)


def is_open_record(path: Path) -> bool:
    """Is `path` a record file a SENDesk in this process has open?"""
    return _key(path) in _OPEN_RECORDS


def _key(path: Path) -> Path:
    return Path(os.path.normcase(Path(path).resolve()))


def _is_record_file(target: Path) -> bool:
    """A record file by its name, or one open here under any name (a link, another case)."""
    # The name the file system resolves it to: on Windows "b.sendesk." and the short name
    # "B~1.SEN" are b.sendesk itself.
    if FILE_SUFFIX in (target.suffix.lower(), Path(os.path.realpath(target)).suffix.lower()):
        return True
    for path in _OPEN_RECORDS:
        with contextlib.suppress(OSError):
            if target.samefile(path):
                return True
    return False


def temporary_name(target: Path) -> Path:
    """A hidden name beside `target` that says which process is writing it."""
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.part")


def check_target(target: Path, *, overwrite: bool = False, what: str = "The file") -> None:
    """Refuse a target that must not be written: a link, a folder, a device, a record file,
    or (unless `overwrite`) an existing file. The checks `write` makes, for callers that ask
    first."""
    if check_kind(target, what) is None:
        return
    if _is_record_file(target):  # --force or not: an export never replaces the records
        raise FileProblem(
            f"{target} is a SENDesk record file and was not changed: a document or an "
            "export is never saved over one. Choose another name."
        )
    if not overwrite:
        raise FileProblem(
            f"{target} already exists and was not changed. Choose another name, or replace "
            "it on purpose (on the command line, --force)."
        )


def check_kind(target: Path, what: str = "The file") -> os.stat_result | None:
    """Refuse a target in no folder, or one that is a link (never written through), a folder or
    a device; what stands there now (None when nothing does). Every writer asks this, a backup
    and a restore too."""
    if problem := folder_problem(target.parent):
        raise FileProblem(f"{what} could not be written: {problem}.")
    try:
        info = target.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise known_failure(exc, f"{what} cannot be saved at {target}") or FileProblem(
            f"{what} cannot be saved at {target}: {exc.strerror or exc}."
        ) from exc
    if stat.S_ISLNK(info.st_mode):
        raise FileProblem(
            f"{target} is a link to another place; SENDesk does not write through links. "
            "Choose the real file or another name."
        )
    if stat.S_ISDIR(info.st_mode):
        raise FileProblem(f"{target} is a folder; give a file name.")
    if not stat.S_ISREG(info.st_mode):
        raise FileProblem(
            f"{target} is not an ordinary file (it is a device or a pipe); SENDesk writes "
            "only ordinary files. Choose another name."
        )
    return info


def folder_problem(folder: Path) -> str | None:
    """Why nothing can be written into `folder` (it does not exist, or a file stands in its
    place or in its path), as words that follow a colon; None when it is a folder."""
    if folder.is_dir():
        return None
    for place in (folder, *folder.parents):
        if place.exists():
            if not place.is_dir():
                return f"{place} is a file, not a folder"
            break
    return f"the folder {folder} does not exist"


def check_folder(folder: Path) -> None:
    """Refuse a `folder` to write into that is not one, saying why (`folder_problem`)."""
    if problem := folder_problem(folder):
        raise FileProblem(f"{as_sentence(problem)}.")


def as_sentence(problem: str) -> str:
    """`folder_problem`'s words as the start of a sentence: "The folder …", or a path as it is
    (a file name's first letter is never changed)."""
    return "T" + problem[1:] if problem.startswith("the ") else problem


def write(
    target: Path,
    content: bytes | Fill,
    *,
    overwrite: bool = False,
    what: str = "The file",
) -> Path:
    """Write `content` (bytes, or a function that writes to the open file) to `target`."""
    target = Path(target)
    check_target(target, overwrite=overwrite, what=what)
    sweep(target.parent)
    remember(target.parent)
    try:
        _write_one(target, content, overwrite, what)
        _sync_folder(target.parent, target, what)
    finally:
        forget(target.parent)  # written or cleaned up: nothing of this write is left to sweep
    return target


class Later:
    """Content made only when its turn to be written comes (see `write_each`)."""

    def __init__(self, make: Callable[[], bytes]) -> None:
        self.make = make


def write_each(
    files: Sequence[tuple[Path, bytes | Later]], *, overwrite: bool = False, what: str = "The file"
) -> Iterator[Path]:
    """Write each (target, content) as `write` does, yielding each target once it is in place,
    in order.

    Every target is checked before any is written, so a clash stops the run with nothing written;
    each folder is swept and remembered once, and its renames made durable with one sync at the
    end, rather than once a file (a print run writes hundreds into one folder). Content given as
    `Later` is made on the caller's thread while the file before it is written and synced on a
    thread of its own (writing and syncing wait on the disk, not on Python), so a print run lays
    out each document while the one before goes to the disk. Should making one fail, the files
    made before it are still written, and yielded, before the failure is raised.
    """
    targets = [Path(t) for t, _ in files]
    for target in targets:
        check_target(target, overwrite=overwrite, what=what)
    folders = list(dict.fromkeys(t.parent for t in targets))
    for folder in folders:
        sweep(folder)
        remember(folder)
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sendesk-writer")
    pending: deque[tuple[Path, Future[None]]] = deque()
    failed = threading.Event()  # once one write fails, none after it is made, as one by one

    def write_one(target: Path, data: bytes) -> None:
        if failed.is_set():
            raise _NotWritten
        try:
            _write_one(target, data, overwrite, what)
        except BaseException:
            failed.set()
            raise

    try:
        try:
            for target, (_, content) in zip(targets, files, strict=True):
                data = content.make() if isinstance(content, Later) else content
                pending.append((target, writer.submit(write_one, target, data)))
                while pending and pending[0][1].done():
                    yield _in_place(pending.popleft())
        except GeneratorExit:  # the caller stopped asking: nothing more may be yielded
            raise
        except BaseException:
            # What was made before the failure goes in place, and is reported, first.
            wait([written for _, written in pending])
            while pending and pending[0][1].exception() is None:
                yield _in_place(pending.popleft())
            raise
        while pending:
            yield _in_place(pending.popleft())
    finally:
        writer.shutdown(wait=True, cancel_futures=True)
        try:
            for folder in folders:
                _sync_folder(folder, folder, what)
        finally:
            for folder in folders:
                forget(folder)


class _NotWritten(Exception):
    """A file not written because one before it failed (that failure is the one raised)."""


def _in_place(item: tuple[Path, Future[None]]) -> Path:
    target, written = item
    written.result()  # its failure, as `write` raises it
    return target


def _write_one(target: Path, content: bytes | Fill, overwrite: bool, what: str) -> None:
    """`content` to a temporary beside `target`, flushed to the disk, then renamed into place."""
    tmp = temporary_name(target)
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        flags |= getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(tmp, flags, 0o600)
        with os.fdopen(fd, "wb") as handle:
            if isinstance(content, bytes):
                handle.write(content)
            else:
                content(handle)
            handle.flush()
            os.fsync(handle.fileno())
        _into_place(tmp, target, overwrite, what)
    except SendeskError:
        _remove(tmp)
        raise
    except OSError as exc:
        _remove(tmp)
        raise _problem(exc, target, what) from exc
    except BaseException:
        _remove(tmp)  # an interrupted write leaves no partial (and no plaintext) behind
        raise


def _sync_folder(folder: Path, target: Path, what: str) -> None:
    try:
        fsync_folder(folder)
    except OSError as exc:
        raise _problem(exc, target, what) from exc


def _problem(exc: OSError, target: Path, what: str) -> SendeskError:
    known = known_failure(exc, f"{what} could not be saved to {target}")
    if known is None:
        return FileProblem(
            f"{what} could not be saved to {target} ({exc.strerror or exc}). Nothing was changed."
        )
    return known


def _into_place(tmp: Path, target: Path, overwrite: bool, what: str) -> None:
    if overwrite:
        check_target(target, overwrite=True, what=what)  # still not a link or a device
        tmp.replace(target)  # replaces a link's name, never what it points to
        return
    try:
        target.hardlink_to(tmp)  # fails if anything appeared at the target meanwhile
    except FileExistsError as exc:
        raise FileProblem(f"{target} already exists and was not changed.") from exc
    except OSError:
        # A file system without hard links (FAT, some shares): check, then rename.
        check_target(target, what=what)
        tmp.replace(target)
        return
    _remove(tmp)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def fsync_folder(folder: Path) -> None:
    # Makes the rename durable on POSIX; Windows cannot open a folder this way and needs no call.
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- leftovers of a killed SENDesk ------------------------------------------------------------


def sweep(folder: Path) -> list[Path]:
    """Remove the partial files a killed SENDesk left in `folder`; returns what was removed."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not _abandoned(entry):
            continue
        with contextlib.suppress(OSError):
            entry.unlink()
            removed.append(entry)
    return removed


def _abandoned(entry: Path) -> bool:
    if match := _OURS.fullmatch(entry.name):
        return _dead(entry, int(match[1]))
    if _OLD_PARTIAL.fullmatch(entry.name):
        return _age(entry) > _OLD_PARTIAL_AGE.total_seconds()
    return False


def _age(entry: Path) -> float:
    try:
        return dt.datetime.now().timestamp() - entry.stat().st_mtime
    except OSError:
        return 0.0


def _dead(entry: Path, pid: int) -> bool:
    if pid == os.getpid():
        return False
    if os.name == "nt":  # no safe way to ask whether a process id is alive: go by age
        return _age(entry) > dt.timedelta(days=1).total_seconds()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, owned by someone else
        return False
    return False


# Writes under way in each folder, in this process: the note is dropped when the last ends.
_WRITING_IN: dict[str, int] = {}
_NOTE_LOCK = threading.Lock()


def remember(folder: Path) -> None:
    """Note a folder a write is under way in, so that, should SENDesk be killed before the write
    ends, the next start sweeps it even if nothing is written there again."""
    entry = str(folder.resolve())
    with _NOTE_LOCK:
        _WRITING_IN[entry] = _WRITING_IN.get(entry, 0) + 1
        with contextlib.suppress(OSError):
            known = _remembered(_listed())
            if entry not in known:
                _write_list([*known, entry][-_REMEMBER_AT_MOST:])


def forget(folder: Path) -> None:
    """A write in `folder` has ended: once none is left under way there, it is not noted."""
    entry = str(folder.resolve())
    with _NOTE_LOCK:
        left = _WRITING_IN.get(entry, 1) - 1
        if left > 0:
            _WRITING_IN[entry] = left
            return
        _WRITING_IN.pop(entry, None)
        with contextlib.suppress(OSError):
            known = _remembered(_listed())
            if entry in known:
                _write_list([k for k in known if k != entry])


def sweep_remembered() -> list[Path]:
    """Sweep every folder a write was under way in when SENDesk stopped; done when a record file
    is opened. A folder is then forgotten unless a running SENDesk is still writing there."""
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        known = _remembered(_listed())
        if not known:
            return removed
        still = []
        for folder in known:
            removed += sweep(Path(folder))
            if _has_partials(Path(folder)):
                still.append(folder)
        if still != known:
            _write_list(still)
    return removed


def _has_partials(folder: Path) -> bool:
    try:
        return any(_OURS.fullmatch(entry.name) for entry in folder.iterdir())
    except OSError:
        return False


def _listed() -> Path:
    return paths.log_folder() / _REMEMBERED


def _write_list(folders: list[str]) -> None:
    """The note, replaced whole; readable by this user only (folder names can be personal)."""
    listed = _listed()
    if not folders:
        _remove(listed)
        return
    listed.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(listed)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(("\n".join(folders) + "\n").encode("utf-8"))
        tmp.replace(listed)
    finally:
        _remove(tmp)


def _remembered(listed: Path) -> list[str]:
    try:
        return [line for line in listed.read_text(encoding="utf-8").splitlines() if line]
    except (OSError, UnicodeDecodeError):
        return []
