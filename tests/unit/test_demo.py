"""The demo school: realistic shares, full histories, deterministic for a seed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select

from sendesk import demo, upn
from sendesk.models import Cycle, Meeting, Outcome, Provision, ProvisionSession, Pupil, Review
from sendesk.pupil_row import PupilRow
from sendesk.services import files, pupils
from sendesk.vault import Vault
from tests.conftest import DEMO_PUPILS, DEMO_TODAY, PASSPHRASE


def test_shares_of_sen_support_and_ehc_plans(demo_vault: Vault) -> None:
    rows = pupils.list_register(demo_vault.sessions, today=DEMO_TODAY)
    statuses = [r.sen_status for r in rows]
    assert len(rows) == DEMO_PUPILS
    assert statuses.count("K") == round(DEMO_PUPILS * 0.13)
    assert statuses.count("E") == round(DEMO_PUPILS * 0.05)
    assert all(r.primary_need for r in rows if r.sen_status != "N")


def test_every_sen_pupil_has_one_to_six_cycles_with_a_full_history(demo_vault: Vault) -> None:
    with demo_vault.sessions() as session:
        per_pupil = dict(
            session.execute(
                select(Pupil.id, func.count(Cycle.id))
                .join(Cycle, isouter=True)
                .where(Pupil.sen_status != "N")
                .group_by(Pupil.id)
            ).all()
        )
        assert per_pupil and all(1 <= n <= 6 for n in per_pupil.values())
        for model in (Outcome, Provision, ProvisionSession, Review, Meeting):
            assert session.execute(select(func.count()).select_from(model)).scalar_one() > 0
        open_cycles = session.execute(
            select(Cycle.pupil_id, func.count())
            .where(Cycle.stage != "closed")
            .group_by(Cycle.pupil_id)
        ).all()
        assert all(count == 1 for _, count in open_cycles)


def test_names_are_from_several_cultures_and_upns_are_valid(demo_vault: Vault) -> None:
    rows = pupils.list_register(demo_vault.sessions)
    names = {f"{r.forename} {r.surname}" for r in rows}
    assert {"Zoë Brontë", "Łukasz Wójcik", "Thị Lan Nguyễn"} <= names
    assert sum(not n.isascii() for n in names) >= 6
    assert all(upn.problem(r.upn) is None for r in rows if r.upn)
    assert len({r.upn for r in rows if r.upn}) == len([r for r in rows if r.upn])


def test_the_demo_is_sound(demo_vault: Vault) -> None:
    assert demo_vault.verify() == []


def test_same_seed_same_school_other_seed_other_school(tmp_path: Path) -> None:
    def build(name: str, seed: int) -> tuple[dict[str, int], list[PupilRow]]:
        with demo.build(tmp_path / name, PASSPHRASE, 25, seed=seed, today=dt.date(2026, 3, 2)) as v:
            counts = files.info(v).counts
            rows = pupils.list_register(v.sessions, today=dt.date(2026, 3, 2))
        return counts, rows

    first, again, other = build("a.sendesk", 4), build("b.sendesk", 4), build("c.sendesk", 5)
    assert first == again
    assert first[1] != other[1]


def test_a_large_demo_keeps_upns_unique(tmp_path: Path) -> None:
    with demo.build(tmp_path / "big.sendesk", PASSPHRASE, 2100, seed=1) as v:
        rows = pupils.list_register(v.sessions)
    with_upn = [r.upn for r in rows if r.upn]
    assert len(rows) == 2100 and len(set(with_upn)) == len(with_upn)


def test_the_demo_has_attendance_by_term_and_age_related_expectations(demo_vault: Vault) -> None:
    from sendesk.attendance import persistently_absent
    from sendesk.attendance_models import TermAttendance
    from sendesk.measure_models import AssessmentMeasure, MeasureExpectation

    with demo_vault.sessions() as session:
        rows = session.execute(
            select(Pupil.sen_status, TermAttendance).join(
                Pupil, Pupil.id == TermAttendance.pupil_id
            )
        ).all()
        on_support = session.execute(
            select(func.count()).select_from(Pupil).where(Pupil.sen_status.in_(("K", "E")))
        ).scalar_one()
        expected = dict(
            session.execute(
                select(AssessmentMeasure.name, func.count())
                .join(MeasureExpectation, MeasureExpectation.measure_id == AssessmentMeasure.id)
                .group_by(AssessmentMeasure.name)
            ).all()
        )
        standard = session.execute(
            select(MeasureExpectation.expected)
            .join(AssessmentMeasure, AssessmentMeasure.id == MeasureExpectation.measure_id)
            .where(AssessmentMeasure.name == "Standardised reading score")
        ).scalars()
        assert set(standard) == {100.0}
    # The three terms finished by 23/11/2026 (autumn 2025, spring and summer 2026), for each
    # pupil on SEN support or with an EHC plan, and no one else.
    terms = {(r.school_year, r.term) for _status, r in rows}
    assert terms == {(2025, "autumn"), (2025, "spring"), (2025, "summer")}
    assert {status for status, _r in rows} <= {"K", "E"}
    assert len(rows) == 3 * on_support
    absent = [r for _s, r in rows if persistently_absent(r.sessions_attended, r.sessions_possible)]
    assert 0 < len(absent) < len(rows) / 2  # some, as in a real school, not most
    assert expected == {"Reading age": 7, "Spelling age": 7, "Standardised reading score": 7}
