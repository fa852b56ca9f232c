"""A pupil's record for a server login that may not read everything: the tabs whose records
its role could only be refused are left out (the server's grants decide, `access.may_read`),
except where it may still add to them: a teacher adds notes to a log only the SENCo reads."""

from __future__ import annotations

from sendesk.server import access
from ui.record.record_view import RecordView

# Which table each record tab lists; a tab is shown only if the role may read it.
TAB_TABLES = {
    "profile": "pupil",
    "needs": "pupil",
    "contacts": "contact",
    "notes": "note",
    "cycles": "cycle_need",
    "meetings": "meeting",
    "documents": "attachment",
}


def fit_record_to_role(record: RecordView, role: str) -> list[str]:
    """Remove the tabs out of the role's reach; returns their names."""
    removed = []
    for name, table in TAB_TABLES.items():
        tab = getattr(record, name)
        if name == "notes" and not access.may_read(role, table) and access.may_add(role, table):
            record.notes.add_only()
            continue
        if not access.may_read(role, table) and tab in record.all_tabs:
            record.all_tabs.remove(tab)
            record.tabs.removeTab(record.tabs.indexOf(tab))
            tab.hide()
            removed.append(name)
    return removed
