"""Floors for the command line: what `sendesk info/pupils/verify/backup` do, by hand.

    raw_cli.py info|pupils|verify|backup|checked-backup FILE [OUT]

Raw sqlcipher3, keyed with SQLCipher 4's key derivation done once here (PBKDF2-HMAC-SHA512 of
$SENDESK_PASSPHRASE with the file's salt, as SENDesk does too), the SQL written here, and the
output printed as the app prints it (JSON for info and pupils). No SENDesk code is imported.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

import sqlcipher3

REGISTER_SQL = """
SELECT p.upn, p.legal_surname, p.legal_forename, p.preferred_forename, p.date_of_birth,
       p.year_group, p.class_name, p.sen_status, p.primary_need, p.secondary_need,
       (SELECT min(m.starts_at) FROM meeting m WHERE m.pupil_id = p.id AND m.status = 'planned'
          AND m.kind IN ('sen_review', 'ehc_annual_review')),
       (SELECT min(c.review_date) FROM cycle c WHERE c.pupil_id = p.id AND c.stage != 'closed')
FROM pupil p WHERE p.archived_on IS NULL ORDER BY p.search_text, p.id
"""


def raw_key(path: str) -> str:
    with open(path, "rb") as f:  # noqa: PTH123
        salt = f.read(16)
    secret = os.environ["SENDESK_PASSPHRASE"].encode()
    key = hashlib.pbkdf2_hmac("sha512", secret, salt, 256_000, 32)
    return f"\"x'{key.hex()}{salt.hex()}'\""


def connect(path: str, key: str) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(path)
    conn.execute(f"PRAGMA key = {key}")
    return conn


def info(conn: sqlcipher3.Connection) -> None:
    file_id, school, version = conn.execute(
        "SELECT file_id, school_name, app_version FROM meta"
    ).fetchone()
    (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}
    print(
        json.dumps(
            {
                "file_id": file_id,
                "school": school,
                "app_version": version,
                "schema_revision": revision,
                "counts": counts,
            },
            indent=2,
        )
    )


def pupils(conn: sqlcipher3.Connection) -> None:
    rows = []
    for r in conn.execute(REGISTER_SQL):
        meeting, review = r[10], r[11]
        due = min(d for d in (meeting and meeting[:10], review) if d) if meeting or review else None
        keys = (
            "upn",
            "surname",
            "forename",
            "preferred_forename",
            "date_of_birth",
            "year_group",
            "class_name",
            "sen_status",
            "primary_need",
            "secondary_need",
        )
        rows.append(dict(zip(keys, r[:10], strict=True)) | {"next_review": due})
    print(json.dumps(rows, indent=2, ensure_ascii=False))


def verify(conn: sqlcipher3.Connection) -> None:
    problems = [r[0] for r in conn.execute("PRAGMA cipher_integrity_check")]
    problems += [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
    problems += list(conn.execute("PRAGMA foreign_key_check"))
    print(problems or "OK")


def backup(conn: sqlcipher3.Connection, key: str, out: str) -> None:
    """sqlcipher_export() into a new file under the same key, in one transaction."""
    conn.execute(f"ATTACH DATABASE '{out}' AS copy KEY {key}")
    conn.execute("BEGIN")
    conn.execute("SELECT sqlcipher_export('copy')")
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE copy")


def checked_backup(conn: sqlcipher3.Connection, key: str, out: str) -> None:
    """The export, then the copy checked as `verify` checks a file: like for like with a backup
    that proves its copy."""
    backup(conn, key, out)
    copy = connect(out, key)
    verify(copy)
    copy.close()


def main() -> int:
    command, path = sys.argv[1], sys.argv[2]
    key = raw_key(path)
    conn = connect(path, key)
    if command == "backup":
        backup(conn, key, sys.argv[3])
    elif command == "checked-backup":
        checked_backup(conn, key, sys.argv[3])
    else:
        {"info": info, "pupils": pupils, "verify": verify}[command](conn)
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
