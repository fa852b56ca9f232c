"""The whole-school reports as documents to save or print (PDF or CSV), built from the same
figures the app shows; saving one goes through `documents.export`, which writes it atomically
and audits it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from sendesk.analytics import Period
from sendesk.documents import analytics_reports as reports
from sendesk.documents import trace_report
from sendesk.documents.style import DocumentOptions
from sendesk.models import Pupil
from sendesk.services import Sessions, governors, impact, leaders, provision_map, trace
from sendesk.services.documents import Printable, letterhead

CSV = "text/csv"


def _uuids(sessions: Sessions, pupil_ids: list[int]) -> tuple[str, ...]:
    if not pupil_ids:
        return ()
    with sessions() as session:
        return tuple(session.execute(select(Pupil.uuid).where(Pupil.id.in_(pupil_ids))).scalars())


def _stem(name: str, period: Period) -> str:
    return f"{name}-{period.starts_on.isoformat()}-to-{period.ends_on.isoformat()}"


def provision_map_doc(
    sessions: Sessions,
    period: Period,
    csv: bool,
    today: dt.date,
    options: DocumentOptions | None = None,
) -> Printable:
    found = provision_map.build(sessions, period)
    stem = _stem("provision-map", period)
    if csv:
        data = reports.provision_map_csv(found)
        return Printable("provision_map", reports.PROVISION_MAP_TITLE, data, (), f"{stem}.csv", CSV)
    data = reports.provision_map_pdf(found, letterhead(sessions, today), options)
    return Printable("provision_map", reports.PROVISION_MAP_TITLE, data, (), f"{stem}.pdf")


def impact_doc(
    sessions: Sessions,
    period: Period,
    csv: bool,
    today: dt.date,
    options: DocumentOptions | None = None,
) -> Printable:
    found = impact.build(sessions, period)
    stem = _stem("intervention-impact", period)
    # It names the pupils flagged for escalation, so saving it is audited against each of them.
    named = _uuids(sessions, [e.pupil_id for e in found.escalations])
    if csv:
        return Printable(
            "impact", reports.IMPACT_TITLE, reports.impact_csv(found), named, f"{stem}.csv", CSV
        )
    data = reports.impact_pdf(found, letterhead(sessions, today), options)
    return Printable("impact", reports.IMPACT_TITLE, data, named, f"{stem}.pdf")


def governors_doc(
    sessions: Sessions,
    period: Period,
    csv: bool,
    today: dt.date,
    options: DocumentOptions | None = None,
) -> Printable:
    found = governors.build(sessions, period, today)
    stem = _stem("sen-report-for-governors", period)
    if csv:
        return Printable(
            "governors",
            reports.GOVERNORS_TITLE,
            reports.governors_csv(found),
            (),
            f"{stem}.csv",
            CSV,
        )
    data = reports.governors_pdf(found, letterhead(sessions, today), options)
    return Printable("governors", reports.GOVERNORS_TITLE, data, (), f"{stem}.pdf")


def summary_doc(
    sessions: Sessions, csv: bool, today: dt.date, options: DocumentOptions | None = None
) -> Printable:
    """A leader's anonymised summary, from the server's own function: it names no pupil."""
    found = leaders.summary(sessions)
    stem = f"anonymised-register-summary-{today.isoformat()}"
    if csv:
        data = reports.summary_csv(found)
        return Printable("summary", reports.SUMMARY_TITLE, data, (), f"{stem}.csv", CSV)
    data = reports.summary_pdf(found, letterhead(sessions, today), options)
    return Printable("summary", reports.SUMMARY_TITLE, data, (), f"{stem}.pdf")


def trace_doc(
    sessions: Sessions, pupil_id: int, today: dt.date, options: DocumentOptions | None = None
) -> Printable:
    """One pupil's inspection trace with their progress charts (audited against the pupil)."""
    found = trace.build(sessions, pupil_id)
    data = trace_report.build(
        found, trace.progress(sessions, pupil_id), letterhead(sessions, today), options
    )
    with sessions() as session:
        pupil = session.get(Pupil, pupil_id)
        assert pupil is not None
        uuid, stem = pupil.uuid, pupil.upn or f"pupil-{pupil.id}"
    return Printable("trace", trace_report.TITLE, data, (uuid,), f"inspection-trace-{stem}.pdf")
