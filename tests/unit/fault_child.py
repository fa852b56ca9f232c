"""A long-lived helper process for the fault tests (POSIX only): it forks a worker per request.

Importing SENDesk once and forking for each attempt makes hundreds of SIGKILLs cheap. Requests are
JSON lines on stdin; for each the helper forks a worker, prints `{"pid": N}`, collects everything
the worker writes to stdout and stderr until it dies, and prints
`{"exit": code or null, "signal": number or null, "output": text}`.

Requests:
- `{"op": "commits", "path": P, "key": HEX, "salt": HEX, "progress": FILE}`: commit numbered rows
  one per transaction, printing each number after its commit returns, until killed; each number
  is also appended to FILE at once, so the test can kill after counting commits, not time.
- `{"op": "cli", "argv": [...], "env": {...}, "fsize": BYTES or null}`: run `sendesk` with a file
  size limit (a write past it fails as if the disk were full).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import configure_mappers

from sendesk import cli
from sendesk.cipher import RawKey
from sendesk.models import AppSetting
from sendesk.vault import Vault

# Once here, not in every forked worker: a worker killed within 0.12 s must have had time to commit
# (importing `sendesk.cli` no longer loads the services, which used to do this as a side effect).
configure_mappers()


def commits(request: dict[str, Any]) -> int:
    key = RawKey(bytes.fromhex(request["key"]), bytes.fromhex(request["salt"]))
    vault = Vault(Path(request["path"]), key)
    with vault.sessions() as session:
        done = session.execute(select(func.count()).where(AppSetting.key.like("n-%"))).scalar_one()
    number = int(done)
    progress = None
    if request.get("progress"):
        progress = os.open(request["progress"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    while True:
        number += 1
        with vault.session() as session:
            session.add(AppSetting(key=f"n-{number:07d}", value_json=str(number)))
        os.write(1, f"{number}\n".encode())
        if progress is not None:
            os.write(progress, b".")


def run_cli(request: dict[str, Any]) -> int:
    os.environ.update(request.get("env") or {})
    if request.get("fsize"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a dead process
        limit = int(request["fsize"])
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return cli.main(request["argv"])


def worker(request: dict[str, Any], out: int) -> None:
    os.dup2(out, 1)
    os.dup2(out, 2)
    sys.stdout = os.fdopen(1, "w", buffering=1, closefd=False)
    sys.stderr = os.fdopen(2, "w", buffering=1, closefd=False)
    code = 1
    try:
        code = commits(request) if request["op"] == "commits" else run_cli(request)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            worker(request, write_end)
        os.close(write_end)
        print(json.dumps({"pid": pid}), flush=True)
        chunks = []
        while chunk := os.read(read_end, 65536):
            chunks.append(chunk)
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
        print(
            json.dumps(
                {
                    "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
                    "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
                    "output": b"".join(chunks).decode("utf-8", "replace"),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
