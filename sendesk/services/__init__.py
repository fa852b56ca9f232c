"""Use cases that the app and the command line share.

Each function takes a session factory and plain values, owns its transaction, applies the rules
once, writes its audit event, and returns plain values.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

Sessions = sessionmaker[Session]
