"""Alembic revisions of the SENDesk record file; run from code by `sendesk.schema`."""
