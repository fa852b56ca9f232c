"""A second copy of SENDesk in its own process, editing one pupil as a user would.

Started as `python -m tests.unit.edit_child FILE PUPIL_ID`. Requests are JSON lines on stdin; each
is answered by one JSON line on stdout:
- `{"op": "load"}`: read the pupil's details (what the user sees); answers `{"version": N}`.
- `{"op": "save", "changes": {...}}`: apply the changes to what was loaded and save it; answers
  `{"saved": N}`, `{"stale": {field: [theirs, yours]}, "current": N}` or `{"error": text}`.
- `{"op": "take", "fields": [...]}`: after a stale answer, take theirs for these fields, keep
  the user's for the rest, and start from the version now saved (the conflict dialog's choice).
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from sendesk import cipher
from sendesk.cipher import RawKey
from sendesk.errors import SendeskError, StaleEdit
from sendesk.services import pupils
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault
from tests.conftest import DEMO_TODAY, PASSPHRASE


def main(path: Path, pupil_id: int) -> int:
    # Without the file's write lock (which one copy of the app would hold): these processes
    # stand for two server clients, whose edits only the version check keeps apart.
    vault = Vault(path, RawKey.derive(PASSPHRASE, cipher.read_salt(path)))
    seen: PupilDetails | None = None
    conflict: StaleEdit | None = None
    try:
        for line in sys.stdin:
            request: dict[str, Any] = json.loads(line)
            answer: dict[str, Any]
            if request["op"] == "load":
                seen = pupils.details(vault.sessions, pupil_id)
                answer = {"version": seen.version}
            elif request["op"] == "save":
                assert seen is not None
                seen = replace(seen, **request["changes"])
                try:
                    saved = pupils.update(vault.sessions, pupil_id, seen, DEMO_TODAY)
                    answer = {"saved": saved.version}
                except StaleEdit as exc:
                    conflict = exc
                    answer = {
                        "stale": {k: list(v) for k, v in exc.differences.items()},
                        "current": exc.current_version,
                    }
                except (SendeskError, Exception) as exc:  # "database is locked" is told too
                    answer = {"error": f"{type(exc).__name__}: {exc}"}
            elif request["op"] == "take":
                assert seen is not None and conflict is not None
                theirs = {name: conflict.differences[name][0] for name in request["fields"]}
                seen = replace(seen, version=conflict.current_version, **theirs)
                answer = {"version": seen.version}
            else:
                answer = {"error": f"unknown request {request['op']}"}
            print(json.dumps(answer), flush=True)
    finally:
        vault.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2])))
