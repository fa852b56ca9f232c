"""A pupil's record for a server login that may not read everything: the tabs whose records
its role could only be refused are left out (the server's grants decide, `access.may_read`),
except where it may still add to them: a teacher adds notes to a log only the SENCo reads. A
login that records sessions but may not read the cycles (a teaching assistant) gets a Sessions
tab of the provisions it delivers instead."""

from __future__ import annotations

from sendesk.server import access
from ui.record.delivery_tab import DeliveryTab
from ui.record.record_view import RecordView
from ui.scrolling import make_scrollable

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
    if "cycles" in removed and access.may_add(role, "provision_session"):
        add_delivery_tab(record)
    return removed


def add_delivery_tab(record: RecordView) -> DeliveryTab:
    """The Sessions tab, after the record's others (the layout probe shows it on a file too)."""
    tab = DeliveryTab(record.ctx)
    make_scrollable(tab)
    record.all_tabs.append(tab)
    record.tabs.addTab(tab, tab.title)
    tab.saved.connect(record.saved)
    tab.records_changed.connect(record.records_changed)
    tab.show_pupil(record.pupil_id)
    return tab
