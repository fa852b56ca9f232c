"""The whole-school figures on a school with known numbers (tests/unit/analytics_school.py),
each worked by hand; on a record file and on the team server."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from sendesk import analytics, figures
from sendesk.analytics import SUPPRESSED, WITHHELD, Period
from sendesk.errors import ValidationFailed
from sendesk.records import Records
from sendesk.services import governors, impact, provision_map, register_analytics, trace
from tests.unit import analytics_school
from tests.unit.analytics_school import TODAY

YEAR = Period(dt.date(2026, 9, 1), dt.date(2027, 8, 31))


@pytest.fixture
def school(vault: Records) -> dict[str, int]:
    return analytics_school.build(vault.sessions)


def test_the_provision_map_costs_every_provision_running_in_the_period(
    vault: Records, school: dict[str, int]
) -> None:
    found = provision_map.build(vault.sessions, YEAR)
    lines = [
        (
            line.what,
            line.delivered_by,
            line.group_size,
            line.pupils,
            line.sessions_planned,
            line.sessions_delivered,
            line.cost_per_pupil_pence,
            line.total_pence,
        )
        for line in found.lines
    ]
    # £500 fixed; £180 + £90 (same kind and deliverer, whatever the case and spacing); £40.50.
    assert lines == [
        ("Speech and language group", "SALT", "3", 1, 12, 0, 50_000, 50_000),
        ("Precision teaching", "TA", "1-2", 2, 60, 55, 13_500, 27_000),
        ("Emotional literacy group", "ELSA", "4", 1, 12, 8, 4_050, 4_050),
    ]
    assert (found.pupils, found.total_pence) == (4, 81_050)
    assert (found.budget_pence, found.remaining_pence) == (1_000_000, 918_950)
    assert [(g.label, g.pupils, g.provisions, g.total_pence) for g in found.by_year_group] == [
        ("Year 3", 2, 2, 27_000),
        ("Year 4", 2, 2, 54_050),
    ]
    assert [(g.label, g.total_pence) for g in found.by_class] == [("3A", 27_000), ("4B", 54_050)]
    assert [(g.label, g.pupils, g.total_pence) for g in found.by_area] == [
        ("Cognition and learning", 2, 27_000),
        ("Communication and interaction", 1, 50_000),
        ("Social, emotional and mental health", 1, 4_050),
    ]


def test_a_provision_outside_the_period_is_left_off_the_map(
    vault: Records, school: dict[str, int]
) -> None:
    last_year = Period(dt.date(2025, 9, 1), dt.date(2026, 8, 31))
    found = provision_map.build(vault.sessions, last_year)
    # Dan's two £300 groups and Cara's first emotional literacy group (£40.50).
    assert [(line.what, line.pupils, line.total_pence) for line in found.lines] == [
        ("Speech and language group", 1, 60_000),
        ("Emotional literacy group", 1, 4_050),
    ]


def test_the_notional_budget_is_a_school_setting(vault: Records) -> None:
    assert provision_map.budget(vault.sessions) is None
    provision_map.set_budget(vault.sessions, 2_500_000)
    assert provision_map.budget(vault.sessions) == 2_500_000
    with pytest.raises(ValidationFailed, match="cannot be negative"):
        provision_map.set_budget(vault.sessions, -1)
    assert provision_map.budget(vault.sessions) == 2_500_000


def test_impact_per_kind_of_provision(vault: Records, school: dict[str, int]) -> None:
    found = impact.build(vault.sessions, YEAR)
    kinds = [
        (
            k.what,
            k.measure,
            k.pupils,
            k.sessions_planned,
            k.sessions_delivered,
            k.measured_pupils,
            k.average_change,
            k.outcomes_achieved,
            k.outcomes_rated,
            k.total_pence,
            k.cost_per_outcome_pence,
        )
        for k in found.kinds
    ]
    assert kinds == [
        # 10 -> 6 times out of class, lower is better: +4; its outcome is not rated yet.
        (
            "Emotional literacy group",
            "Times out of class in a week",
            1,
            12,
            8,
            1,
            4.0,
            0,
            0,
            4_050,
            None,
        ),
        # (+6 + +2) / 2 = 4; outcomes achieved 2 of 3; £270 / 2 = £135 per outcome achieved.
        ("Precision teaching", "Reading age", 2, 60, 55, 2, 4.0, 2, 3, 27_000, 13_500),
        ("Speech and language group", None, 1, 12, 0, 0, None, 0, 0, 50_000, None),
    ]
    assert found.kinds[1].delivered == pytest.approx(55 / 60)


def test_a_pupil_with_little_or_no_progress_over_two_cycles_is_flagged(
    vault: Records, school: dict[str, int]
) -> None:
    found = impact.build(vault.sessions, YEAR)
    # Dan: two reviewed cycles, no outcome at good progress or achieved, no measure improved.
    # Cara has only one reviewed cycle; Ava and Ben achieved outcomes.
    assert [(e.name, e.cycles, e.last_next_step) for e in found.escalations] == [
        ("Dan Dunn", [1, 2], "specialist")
    ]


def test_the_escalation_rule() -> None:
    assert analytics.little_or_no_progress(["some_progress", "not_started"], [])
    assert not analytics.little_or_no_progress(["some_progress", "good_progress"], [])
    assert not analytics.little_or_no_progress(["some_progress"], [0.5])  # a measure improved
    assert analytics.little_or_no_progress(["some_progress"], [0.0, -2])
    assert not analytics.little_or_no_progress([None], [])  # nothing to judge by
    assert analytics.needs_escalation([False, True, True])
    assert not analytics.needs_escalation([True, False])
    assert not analytics.needs_escalation([True])


def test_register_analytics_now_and_over_the_years(vault: Records, school: dict[str, int]) -> None:
    found = register_analytics.build(vault.sessions, TODAY)
    assert (found.on_roll, found.on_register) == (6, 5)
    assert [(c.label, c.pupils) for c in found.by_status] == [
        ("No special educational need", 1),
        ("SEN support", 4),
        ("EHC plan", 1),
    ]
    assert [c.pupils for c in found.by_need] == [1, 1, 1, 1, 1]
    assert found.by_need[0].label == "Autistic spectrum disorder"
    assert [(c.label, c.pupils) for c in found.by_year_group] == [
        ("Year 3", 2),
        ("Year 4", 2),
        ("Year 5", 1),
    ]
    assert [(c.label, c.pupils) for c in found.by_class] == [("3A", 2), ("4B", 2), ("5C", 1)]
    # 2024/25: Dan's EHC plan; 2025/26: Dan and Cara (SEN support from March 2026);
    # 2026/27: Ava, Ben, Cara, Finn on SEN support and Dan's plan.
    assert [(y.label, y.sen_support, y.ehc_plan) for y in found.over_years] == [
        ("2024/25", 0, 1),
        ("2025/26", 1, 1),
        ("2026/27", 4, 1),
    ]


def test_the_governors_report_names_no_one_and_hides_fewer_than_five(
    vault: Records, school: dict[str, int]
) -> None:
    found = governors.build(vault.sessions, YEAR, TODAY)
    assert (found.on_roll, found.on_register) == (6, 5)  # five is shown
    assert [(c.label, c.pupils) for c in found.by_status] == [
        ("No special educational need", SUPPRESSED),
        ("SEN support", SUPPRESSED),
        ("EHC plan", SUPPRESSED),
    ]
    assert {c.pupils for c in found.by_need} == {SUPPRESSED}
    assert [(y.label, y.sen_support, y.ehc_plan, y.on_register) for y in found.over_years] == [
        ("2024/25", 0, SUPPRESSED, SUPPRESSED),
        ("2025/26", SUPPRESSED, SUPPRESSED, SUPPRESSED),
        ("2026/27", SUPPRESSED, SUPPRESSED, 5),
    ]
    # The cost of a group of fewer than five is hidden with it; the whole total is not.
    assert {(s.pupils, s.total_pence) for s in found.spend_by_area} == {(SUPPRESSED, WITHHELD)}
    assert found.total_pence == 81_050
    precision = next(i for i in found.interventions if i.what == "Precision teaching")
    assert (precision.pupils, precision.average_change, precision.cost_per_outcome_pence) == (
        SUPPRESSED,
        SUPPRESSED,
        SUPPRESSED,
    )
    assert found.escalations == SUPPRESSED
    text = repr(found)
    for name in ("Ava", "Adams", "Ben", "Cara", "Dan", "Dunn", "Eve", "Finn"):
        assert name not in text


def test_suppression_edges() -> None:
    assert [analytics.suppress(n) for n in (0, 1, 4, 5, 12)] == [0, SUPPRESSED, SUPPRESSED, 5, 12]
    assert analytics.shown(4, 123) == SUPPRESSED
    assert analytics.shown(5, 123) == 123


def test_the_inspection_trace_follows_the_golden_thread(
    vault: Records, school: dict[str, int]
) -> None:
    found = trace.build(vault.sessions, school["Ava"])
    assert (found.name, found.year_group, found.status) == ("Ava Adams", "Year 3", "SEN support")
    [cycle] = found.cycles
    assert (cycle.number, cycle.stage, cycle.closed_on) == (1, "Closed", dt.date(2026, 11, 16))
    assert [o.rating for o in cycle.outcomes] == ["Achieved", "Some progress"]
    [provision] = cycle.provisions
    assert (provision.description, provision.sessions_delivered, provision.sessions_planned) == (
        "Precision teaching",
        25,
        30,
    )
    assert (provision.measure, provision.entry, provision.exit, provision.change) == (
        "Reading age",
        80,
        86,
        6,
    )
    assert provision.cost_pence == 18_000
    assert cycle.next_step.startswith("Some progress")


def test_pupil_progress_has_each_measure_over_time_with_the_cycles(
    vault: Records, school: dict[str, int]
) -> None:
    found = trace.progress(vault.sessions, school["Cara"])
    [series] = found.series
    assert series.measure == "Times out of class in a week" and not series.higher_is_better
    assert [(p[1], p[2]) for p in series.points] == [
        (8, "baseline"),
        (9, "exit"),
        (10, "baseline"),
        (6, "during"),
    ]
    assert [(c.number, c.ratings) for c in found.cycles] == [
        (1, {"some_progress": 1, "not_started": 1}),
        (2, {}),
    ]


def test_the_demo_school_has_scores_for_every_view(demo_vault: Records) -> None:
    demo_year = Period(dt.date(2026, 9, 1), dt.date(2027, 8, 31))
    found = impact.build(demo_vault.sessions, demo_year)
    assert any(k.average_change is not None for k in found.kinds)
    mapped = provision_map.build(demo_vault.sessions, demo_year)
    assert mapped.lines and mapped.budget_pence
    assert register_analytics.build(demo_vault.sessions, TODAY).over_years


def test_the_inspection_trace_reads_back_from_its_pdf(
    vault: Records, school: dict[str, int]
) -> None:
    import io

    from pypdf import PdfReader

    from sendesk.services import analytics_documents

    doc = analytics_documents.trace_doc(vault.sessions, school["Ava"], TODAY)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(doc.data)).pages)
    for expected in (
        "Inspection trace: Ava Adams",
        "Precision teaching",
        "25 of 30",
        "Reading age: 80 to 86 (+6)",
        "Achieved",
        "Progress on each measure",
    ):
        assert expected in " ".join(text.split()), expected
    assert len(PdfReader(io.BytesIO(doc.data)).pages) <= 2
    assert doc.pupil_uuids and doc.filename.startswith("inspection-trace-")


def test_a_pupil_with_two_provisions_of_one_kind_is_measured_once(vault: Records) -> None:
    """Two deliverers of daily reading in Ava's one cycle: one pupil, one change (+6), never
    "2 measured" beside 1 pupil, nor her change counted twice in the average."""
    from sqlalchemy import select

    from sendesk.measure_models import AssessmentMeasure
    from tests.unit.analytics_school import _cycle, _provision, _pupil, _score

    d = dt.date
    with vault.sessions.begin() as session:
        reading = session.execute(
            select(AssessmentMeasure.id).where(AssessmentMeasure.name == "Reading age")
        ).scalar_one()
        ava = _pupil(session, "Adams", "Ava", 3, "3A", "SPLD", sen_support_since=d(2026, 9, 7))
        c = _cycle(session, ava, 1, d(2026, 9, 7), d(2026, 11, 16), next_step="continue")
        _provision(session, c, "Daily reading", "TA", 1, 5, 10, 10, reading, held=5)
        _provision(session, c, "Daily reading", "Parent volunteer", 1, 5, 10, 10, reading, held=5)
        _score(session, ava, c, reading, d(2026, 9, 8), "baseline", 80)
        _score(session, ava, c, reading, d(2026, 11, 16), "exit", 86)
        ben = _pupil(session, "Brown", "Ben", 3, "3A", "MLD", sen_support_since=d(2026, 9, 7))
        c = _cycle(session, ben, 1, d(2026, 9, 7), d(2026, 11, 16), next_step="continue")
        _provision(session, c, "Daily reading", "TA", 1, 5, 10, 10, reading, held=5)
        _score(session, ben, c, reading, d(2026, 9, 8), "baseline", 70)
        _score(session, ben, c, reading, d(2026, 11, 16), "exit", 72)
    [kind] = impact.build(vault.sessions, YEAR).kinds
    assert (kind.pupils, kind.measured_pupils, kind.average_change) == (2, 2, 4.0)  # (6 + 2) / 2


def test_a_group_hidden_alone_beside_its_total_hides_the_smallest_other_too() -> None:
    # The trial's school: on roll 60 = no SEN 49 + SEN support 8 + EHC 3; EHC alone hidden gave
    # it back as 60 - 49 - 8. With SEN support hidden too, only their sum (11) can be worked out.
    # SEN support's 8 is hidden as "not shown": "fewer than 5" would be false of it.
    assert analytics.suppress_parts([49, 8, 3]) == [49, WITHHELD, SUPPRESSED]
    assert analytics.suppress_parts([49, 8, 0]) == [49, 8, 0]  # nobody hidden: nothing to add
    assert analytics.suppress_parts([49, 3, 2]) == [49, SUPPRESSED, SUPPRESSED]  # two already
    assert analytics.suppress_parts([3]) == [SUPPRESSED]  # alone: its total is itself hidden
    assert analytics.suppress_parts([0, 4]) == [0, SUPPRESSED]


def test_a_provision_that_began_before_the_period_is_on_the_map_while_it_still_runs(
    vault: Records,
) -> None:
    """The narrowed read keeps every provision the rule's span puts in the period, and only
    those: begun in the summer and still running in September; begun in the summer and over by
    then; cut short by its cycle's review in September; starting in the period although its
    cycle was closed before it (its own start is what counts)."""
    from tests.unit.analytics_school import _cycle, _provision, _pupil

    d = dt.date
    with vault.sessions.begin() as session:
        gus = _pupil(session, "Green", "Gus", 5, "5C", "SPLD")
        summer = _cycle(session, gus, 1, d(2026, 7, 6), stage="do")
        # From 6 July for 12 weeks, to 27 September: still running in 2026/27.
        _provision(session, summer, "Still running", "TA", 1, 1, 30, 12, fixed=1_200)
        # From 6 July for 8 weeks, to 30 August: over before the school year.
        _provision(session, summer, "Over in August", "TA", 1, 1, 30, 8, fixed=800)
        hal = _pupil(session, "Hill", "Hal", 5, "5C", "MLD")
        reviewed = _cycle(session, hal, 1, d(2026, 5, 4), d(2026, 9, 4), next_step="continue")
        # 20 weeks from 4 May, but the cycle closed on 4 September: in the period for 4 days.
        _provision(session, reviewed, "Cut short by the review", "TA", 1, 1, 30, 20, fixed=2_000)
        ida = _pupil(session, "Ince", "Ida", 5, "5C", "MLD")
        early = _cycle(session, ida, 1, d(2026, 1, 5), d(2026, 7, 10), next_step="continue")
        late = _provision(session, early, "Own start in the period", "TA", 1, 1, 30, 6, fixed=600)
        late.starts_on = d(2026, 9, 2)
        over = _provision(session, early, "Own start before it", "TA", 1, 1, 30, 6, fixed=700)
        over.starts_on = d(2026, 8, 24)
    found = provision_map.build(vault.sessions, YEAR)
    # Each charged for its days in the period only: 27 of its 84 days (6 July to 27 September),
    # 4 of its 124 (4 May to 4 September), all 42 of its own.
    assert sorted((line.what, line.total_pence, line.sessions_planned) for line in found.lines) == [
        ("Cut short by the review", 65, 1),
        ("Own start in the period", 600, 6),
        ("Still running", 386, 4),
    ]
    assert (found.pupils, found.total_pence) == (3, 1_051)
    summer_term = Period(dt.date(2026, 4, 13), dt.date(2026, 8, 31))
    assert sorted(line.what for line in provision_map.build(vault.sessions, summer_term).lines) == [
        "Cut short by the review",
        "Over in August",
        "Own start before it",
        "Still running",
    ]


def test_a_period_is_charged_only_its_part_of_a_provision_and_the_parts_add_up(
    vault: Records, school: dict[str, int]
) -> None:
    """Two halves of the year are charged what the whole year is (to a penny a provision), and
    count the sessions held in each; neither is charged a provision whole."""
    autumn = Period(dt.date(2026, 9, 1), dt.date(2026, 10, 15))  # mid-way through them all
    rest = Period(dt.date(2026, 10, 16), dt.date(2027, 8, 31))
    year, halves = (
        provision_map.build(vault.sessions, YEAR),
        [provision_map.build(vault.sessions, p) for p in (autumn, rest)],
    )
    assert abs(sum(h.total_pence for h in halves) - year.total_pence) <= len(year.lines)
    for what in ("sessions_planned", "sessions_delivered"):
        by_half = [sum(getattr(line, what) for line in h.lines) for h in halves]
        assert abs(sum(by_half) - sum(getattr(line, what) for line in year.lines)) <= 2
    whole = {line.what: line.total_pence for line in year.lines}
    for half in halves:
        for line in half.lines:
            assert line.total_pence <= whole[line.what]
    assert sum(h.total_pence for h in halves) > max(h.total_pence for h in halves)


def test_a_period_s_part_of_a_span_is_by_days() -> None:
    d = dt.date
    autumn = Period(d(2026, 9, 1), d(2026, 12, 31))
    assert autumn.part_of(d(2026, 9, 1), d(2026, 12, 31)) == 1.0
    assert autumn.part_of(d(2026, 8, 1), d(2027, 1, 31)) == 122 / 184
    assert autumn.part_of(d(2026, 12, 31), d(2027, 1, 9)) == 1 / 10
    assert autumn.part_of(d(2027, 1, 1), d(2027, 2, 1)) == 0.0
    assert autumn.part_of(d(2026, 10, 5), d(2026, 10, 5)) == 1.0


def test_a_provision_that_names_one_outcome_is_judged_by_that_outcome_alone(
    vault: Records,
) -> None:
    """Of Ivy's two outcomes, one achieved and one not started: the provision that names the
    one not started has achieved nothing; the one naming none works towards both."""
    from sendesk.models import Outcome
    from tests.unit.analytics_school import _cycle, _provision, _pupil

    d = dt.date
    with vault.sessions.begin() as session:
        ivy = _pupil(session, "Irwin", "Ivy", 3, "3A", "SPLD")
        c = _cycle(session, ivy, 1, d(2026, 9, 7), d(2026, 11, 16), next_step="continue")
        achieved = Outcome(cycle_id=c.id, description="Reads", success_criteria="ok")
        achieved.rating = "achieved"
        waiting = Outcome(cycle_id=c.id, description="Spells", success_criteria="ok")
        waiting.rating = "not_started"
        session.add_all([achieved, waiting])
        session.flush()
        spelling = _provision(session, c, "Spelling group", "TA", 4, 2, 30, 10, fixed=400)
        spelling.outcome_id = waiting.id
        _provision(session, c, "Daily reading", "TA", 1, 5, 10, 10, fixed=900)
    kinds = {
        k.what: (k.outcomes_achieved, k.outcomes_rated, k.cost_per_outcome_pence)
        for k in impact.build(vault.sessions, YEAR).kinds
    }
    assert kinds == {"Daily reading": (1, 2, 900), "Spelling group": (0, 1, None)}


def test_only_the_last_two_of_three_reviewed_cycles_decide_an_escalation(vault: Records) -> None:
    """Jo: little progress, then good progress, then little: not flagged (the last two differ).
    Kit: good progress, then little twice: flagged for cycles 2 and 3. Lee: little three times
    but the last review already asked for an EHC needs assessment: not flagged again."""
    from tests.unit.analytics_school import _cycle, _outcome, _pupil

    d = dt.date
    ratings = {
        "Jo": ["not_started", "good_progress", "some_progress"],
        "Kit": ["achieved", "some_progress", "not_started"],
        "Lee": ["not_started", "some_progress", "not_started"],
    }
    with vault.sessions.begin() as session:
        for n, (name, rated) in enumerate(ratings.items()):
            pupil = _pupil(session, f"Pupil{n}", name, 6, "6A", "MLD")
            for number, rating in enumerate(rated, start=1):
                opened = d(2025, 1 + 4 * (number - 1), 6)
                last = number == len(rated)
                step = "ehcna" if name == "Lee" and last else "continue"
                c = _cycle(
                    session, pupil, number, opened, opened + dt.timedelta(weeks=12), next_step=step
                )
                _outcome(session, c, rating)
    found = impact.build(vault.sessions, YEAR)
    assert [(e.name, e.cycles) for e in found.escalations] == [("Kit Pupil1", [2, 3])]


def test_the_figures_show_money_with_its_pence_and_a_change_of_one_in_the_singular() -> None:
    """Amounts stand in columns (a period's part of a provision is rarely whole pounds); the
    cost per pupil of a line is an average, and is called so."""
    from sendesk.documents import analytics_reports as reports

    assert [reports.pounds(p) for p in (48_600, 48_857, 1_000_000)] == [
        "£486.00", "£488.57", "£10,000.00",
    ]  # fmt: skip
    assert reports.change(1.0, "points") == "+1 point"
    assert reports.change(-1, "words per minute") == "-1 word per minute"
    assert reports.change(2, "points") == "+2 points"
    assert reports.change(0, "points") == "+0 points"
    assert reports.change(1, "%") == "+1 %"
    assert "Average per pupil" in reports.MAP_COLUMNS


def test_a_part_of_the_year_is_set_against_its_part_of_the_budget(
    vault: Records, school: dict[str, int]
) -> None:
    """From the document review: one term's provision was set against the whole year's budget
    ('£27,430.08 left'). The budget is yearly; a period is set against its days' share."""
    from sendesk.documents import analytics_reports as reports

    assert analytics.share_of_a_year(YEAR) == 1.0
    autumn = Period(dt.date(2026, 9, 1), dt.date(2026, 12, 31))
    assert analytics.share_of_a_year(autumn) == 122 / 365
    two_years = Period(dt.date(2025, 9, 1), dt.date(2027, 8, 31))
    assert analytics.share_of_a_year(two_years) == 2.0
    term = provision_map.build(vault.sessions, autumn)
    assert (term.year_budget_pence, term.budget_pence) == (1_000_000, round(1_000_000 * 122 / 365))
    words = reports.budget_words(term)
    assert "the period's part of the notional SEN budget, £3,342.47" in words
    assert "(the school year's is £10,000.00)" in words and words.startswith("Provision planned")
    whole = reports.budget_words(provision_map.build(vault.sessions, YEAR))
    assert "against a notional SEN budget of £10,000.00: £9,189.50 left" in whole


def test_a_figure_about_a_hidden_group_reads_not_shown_never_fewer_than_five_pounds() -> None:
    """From the document review: "fewer than 5" under "Planned cost" read as less than £5."""
    from sendesk.documents import analytics_reports as reports

    for shown in (reports.money, reports.percent, lambda v: reports.change(v, "points")):
        assert shown(SUPPRESSED) == "not shown"
    words = reports.SUPPRESSION_WORDS
    assert '"not shown"' in words and '"fewer than 5"' in words


def test_a_count_hidden_only_to_protect_a_smaller_one_is_never_called_fewer_than_five(
    vault: Records,
) -> None:
    """From the document review: ten pupils on SEN support beside four with EHC plans were
    printed as "SEN support: fewer than 5", which is false; it is "not shown"."""
    from sendesk.documents import analytics_reports
    from sendesk.documents.style import Letterhead
    from tests.unit.test_document_contents import _text as pdf_text

    shown = analytics.suppress_parts([66, 10, 4])
    assert shown == [66, WITHHELD, SUPPRESSED]
    found = governors.build(vault.sessions, YEAR, TODAY)
    report = dataclasses.replace(
        found,
        by_status=[
            figures.ShownCount(label, n)
            for label, n in zip(("No SEN", "SEN support", "EHC plan"), shown, strict=True)
        ],
    )
    text = " ".join(
        pdf_text(analytics_reports.governors_pdf(report, Letterhead("Oak", TODAY))).split()
    )
    assert "SEN support not shown" in text and "EHC plan fewer than 5" in text
    assert "Pupils on roll today" in text  # today's, whatever the period
