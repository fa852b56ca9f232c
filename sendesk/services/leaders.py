"""What a leader's login sees: the anonymised register summary of a team server.

A leader may read no pupil row at all (the server's grants refuse it); the figures come from the
server's `sendesk_register_summary()` (sendesk.server.access), which counts the pupils on roll by
SEN status, primary need and year group and leaves out (NULL) every count below 5. So the
suppression happens inside PostgreSQL, and nothing here can read past it.
"""

from __future__ import annotations

from sqlalchemy import select, text

from sendesk import analytics, codes
from sendesk.errors import BadInput
from sendesk.figures import RegisterSummary, SummaryGroup
from sendesk.models import Meta
from sendesk.services import Sessions
from sendesk.services.register_analytics import NO_NEED, NO_YEAR_GROUP

SUMMARY_QUERY = (
    "SELECT sen_status, primary_need, year_group, pupils FROM sendesk_register_summary()"
)


def summary(sessions: Sessions) -> RegisterSummary:
    """The school's name and every group the server's summary returns, in its order."""
    with sessions() as session:
        if session.get_bind().dialect.name != "postgresql":
            raise BadInput(
                "The anonymised summary comes from a school server; a record file has no "
                "leader logins."
            )
        school = session.execute(select(Meta.school_name)).scalar_one()
        rows = session.execute(text(SUMMARY_QUERY)).all()
    return RegisterSummary(
        school,
        [
            SummaryGroup(
                codes.SEN_STATUS_LABELS.get(status, status),
                codes.need_label(need) or NO_NEED,
                codes.year_group_label(year) or NO_YEAR_GROUP,
                analytics.SUPPRESSED if pupils is None else int(pupils),
            )
            for status, need, year, pupils in rows
        ],
    )
