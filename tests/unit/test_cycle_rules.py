"""The graduated-approach rules on their own: stages, plan completeness, review, money."""

from __future__ import annotations

import datetime as dt

import pytest

from sendesk import cycle as rules
from sendesk.cycle import (
    AssessData,
    OutcomePlan,
    OutcomeRating,
    PlanData,
    ProvisionPlan,
    ReviewData,
    Term,
)

MONDAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("do", "plan", True),
        ("review", "assess", True),
        ("plan", "plan", False),
        ("plan", "do", False),
        ("closed", "review", False),
    ],
)
def test_reopening(current: str, target: str, allowed: bool) -> None:
    assert rules.can_reopen(current, target) is allowed


def complete_plan() -> PlanData:
    return PlanData(
        outcomes=[OutcomePlan("read 40 words", "reads 40/40")],
        provisions=[ProvisionPlan("Precision teaching")],
        review_date=MONDAY + dt.timedelta(weeks=12),
        parents_informed_on=MONDAY,
        parents_informed_how="Meeting",
    )


def test_a_complete_plan_has_no_problems() -> None:
    assert rules.plan_problems(complete_plan()) == {}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda p: p.outcomes.clear(), "outcomes"),
        (lambda p: setattr(p.outcomes[0], "success_criteria", " "), "outcomes"),
        (lambda p: p.provisions.clear(), "provisions"),
        (lambda p: setattr(p.provisions[0], "group_size", 0), "provisions"),
        (lambda p: setattr(p, "review_date", None), "review_date"),
        (lambda p: setattr(p, "parents_informed_on", None), "parents_informed"),
        (lambda p: setattr(p, "parents_informed_how", ""), "parents_informed"),
    ],
)
def test_an_incomplete_plan_says_what_is_missing(change: object, field: str) -> None:
    plan = complete_plan()
    change(plan)  # type: ignore[operator]
    assert field in rules.plan_problems(plan)


TERMS = [
    Term(dt.date(2026, 11, 2), dt.date(2026, 12, 18)),
    Term(dt.date(2027, 1, 5), dt.date(2027, 2, 12)),
    Term(dt.date(2027, 2, 22), dt.date(2027, 3, 26)),
]


@pytest.mark.parametrize(
    ("review", "expected"),
    [
        (dt.date(2027, 1, 11), []),
        (dt.date(2027, 3, 22), ["more than 16 weeks"]),
        (dt.date(2027, 1, 9), ["weekend"]),
        (dt.date(2026, 12, 28), ["holiday"]),
        (dt.date(2026, 11, 20), ["past"]),
    ],
)
def test_review_date_warnings(review: dt.date, expected: list[str]) -> None:
    warnings = rules.review_date_warnings(review, MONDAY, TERMS)
    assert len(warnings) == len(expected)
    for words, warning in zip(expected, warnings, strict=True):
        assert words in warning


def test_without_term_dates_no_holiday_warning() -> None:
    assert rules.review_date_warnings(dt.date(2026, 12, 28), MONDAY, []) == []


def review(**changes: object) -> ReviewData:
    data = ReviewData(
        held_on=MONDAY,
        ratings={
            1: OutcomeRating("achieved", "all 40 words"),
            2: OutcomeRating("some_progress", "halfway"),
        },
        impacts={10: "helped"},
        next_step="continue",
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def test_a_complete_review_has_no_problems() -> None:
    assert rules.review_problems(review(), [1, 2], [10], "K") == {}


def test_only_an_outcome_not_achieved_needs_a_comment() -> None:
    achieved = {1: OutcomeRating("achieved", ""), 2: OutcomeRating("good_progress", "nearly")}
    assert rules.review_problems(review(ratings=achieved), [1, 2], [10], "K") == {}
    unexplained = {1: OutcomeRating("achieved", ""), 2: OutcomeRating("good_progress", " ")}
    problems = rules.review_problems(review(ratings=unexplained), [1, 2], [10], "K")
    assert problems == {"ratings": rules.COMMENT_REQUIRED}


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"ratings": {1: OutcomeRating("achieved", "ok")}}, "K", "ratings"),
        (
            {"ratings": {1: OutcomeRating("achieved", ""), 2: OutcomeRating("not_started", "")}},
            "K",
            "ratings",
        ),
        ({"impacts": {}}, "K", "impacts"),
        ({"next_step": None}, "K", "next_step"),
        ({"next_step": "exit"}, "E", "next_step"),
        # An EHC plan's pupil is not asked for an EHC needs assessment again (GUI trial).
        ({"next_step": "ehcna", "ehcna_requested_on": dt.date(2026, 11, 23)}, "E", "next_step"),
        ({"next_step": "specialist"}, "K", "referral_service"),
        ({"next_step": "ehcna"}, "K", "ehcna_requested_on"),
        ({"held_on": None}, "K", "held_on"),
    ],
)
def test_an_incomplete_review_says_what_is_missing(
    changes: dict[str, object], status: str, field: str
) -> None:
    assert field in rules.review_problems(review(**changes), [1, 2], [10], status)


def test_unmet_outcomes_and_new_cycles() -> None:
    assert [rules.is_unmet(r) for r in ("achieved", "good_progress", "not_started", None)] == [
        False, True, True, True,
    ]  # fmt: skip
    assert not rules.starts_new_cycle("exit")
    assert all(rules.starts_new_cycle(s) for s in ("continue", "specialist", "ehcna"))
    assert rules.status_after_plan("N") == "K"
    assert rules.status_after_plan("E") == "E"


def test_provision_cost() -> None:
    # 3 x 30 min a week for 10 weeks at £18/h in a group of 3: 15 h * £18 / 3 = £90.
    assert rules.provision_cost_pence(3, 30, 10, 3, 1_800) == 9_000
    assert rules.provision_cost_pence(3, 30, 10, 3, 1_800, fixed_cost_pence=25_000) == 25_000
    assert rules.provision_cost_pence(1, 30, 10, 0, 1_800) == 9_000  # group size never divides by 0
    summary = rules.CostSummary(650_000, 600_000)
    assert summary.over_threshold
    assert summary.sentence() == (
        "Provision costs £6,500 this school year, over the £6,000 notional SEN threshold."
    )
    with_earlier = rules.CostSummary(250_000, 600_000, plan_pence=9_000)
    assert with_earlier.sentence() == (
        "This plan's provision costs £90; with earlier plans, £2,500 this school year, within "
        "the £6,000 notional SEN threshold."
    )


@pytest.mark.parametrize(("text", "pence"), [("£1,250.50", 125_050), ("90", 9_000), ("", None)])
def test_parse_pounds(text: str, pence: int | None) -> None:
    assert rules.parse_pounds(text) == pence


@pytest.mark.parametrize("bad", ["abc", "-5"])
def test_parse_pounds_refuses_nonsense(bad: str) -> None:
    with pytest.raises(ValueError):
        rules.parse_pounds(bad)


def test_delivered_share() -> None:
    assert rules.delivered_share(15, 3, 10) == 0.5
    assert rules.delivered_share(40, 3, 10) == 1.0
    assert rules.delivered_share(3, 0, 10) is None


def test_assess_needs_a_concern_and_census_codes() -> None:
    assert "concern" in rules.assess_problems(AssessData())
    assert "needs" in rules.assess_problems(AssessData(concern="x", needs=["DYSLEXIA"]))
    assert rules.assess_problems(AssessData(concern="x", needs=["SPLD"])) == {}


def test_a_week_rebased_on_anothers_save_keeps_every_change_that_does_not_clash() -> None:
    mon, tue, wed, thu, fri = (dt.date(2026, 11, 23) + dt.timedelta(days=d) for d in range(5))
    seen = {mon: True}
    mine = {mon: False, tue: True, wed: True, fri: True}  # Monday away; Tue, Wed, Fri held
    saved = {mon: True, wed: False, thu: True}  # the other: Wednesday away, Thursday held
    rebased = rules.rebase_week(seen, mine, saved)
    # Monday (they left it) and Tuesday and Friday (new to both) are mine; Thursday is theirs;
    # Wednesday both changed, differently: theirs is kept and the day is a clash.
    assert rebased.marks == {mon: False, tue: True, wed: False, thu: True, fri: True}
    assert rebased.clashes == [wed]


def test_a_week_rebased_agrees_where_both_made_the_same_change_and_keeps_untouched_days() -> None:
    mon, tue = dt.date(2026, 11, 23), dt.date(2026, 11, 24)
    rebased = rules.rebase_week({mon: True}, {mon: True, tue: False}, {mon: False, tue: False})
    assert rebased.marks == {mon: False, tue: False}  # Monday untouched by me: theirs stands
    assert rebased.clashes == []
    # A held session I took back that nobody else touched is taken back.
    assert rules.rebase_week({}, {}, {}).marks == {}
    assert rules.rebase_week({tue: True}, {}, {tue: True}).marks == {}
