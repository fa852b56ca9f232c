"""The school's assessment measures and pupils' scores, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from sendesk.errors import StaleEdit, ValidationFailed
from sendesk.measure_models import EXAMPLES
from sendesk.models import AuditEvent
from sendesk.records import Records
from sendesk.services import cycles, measures, pupils
from sendesk.services.measures import MeasureDetails, ScoreEntry
from sendesk.services.pupils import PupilDetails

TODAY = dt.date(2026, 11, 23)


def _events(vault: Records, action: str) -> int:
    with vault.sessions() as session:
        return session.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        ).scalar_one()


def test_a_new_file_has_the_example_measures(vault: Records) -> None:
    listed = measures.list_measures(vault.sessions)
    assert sorted(m.details.name for m in listed) == sorted(e[0] for e in EXAMPLES)
    out_of_class = next(m for m in listed if m.details.name == "Times out of class in a week")
    assert not out_of_class.details.higher_is_better
    assert measures.add_examples(vault.sessions) == 0  # nothing missing, nothing doubled


def test_measures_are_added_edited_and_retired(vault: Records) -> None:
    new = measures.add(vault.sessions, MeasureDetails(" Handwriting speed ", "letters a minute"))
    with pytest.raises(ValidationFailed, match="already a measure"):
        measures.add(vault.sessions, MeasureDetails("Handwriting speed", "letters"))
    with pytest.raises(ValidationFailed) as bad:
        measures.add(vault.sessions, MeasureDetails("", "", True, 10, 5))
    assert set(bad.value.problems) == {"name", "unit", "scale"}
    [seen] = [m for m in measures.list_measures(vault.sessions) if m.id == new]
    assert seen.details.name == "Handwriting speed"
    measures.edit(
        vault.sessions,
        new,
        MeasureDetails("Handwriting speed", "letters", True, 0, 60),
        seen.version,
    )
    with pytest.raises(StaleEdit):  # an edit made over the one just saved
        measures.edit(vault.sessions, new, MeasureDetails("Handwriting", "letters"), seen.version)
    measures.set_retired(vault.sessions, new)
    assert new not in [m.id for m in measures.list_measures(vault.sessions)]
    assert new in [m.id for m in measures.list_measures(vault.sessions, include_retired=True)]
    assert _events(vault, "measure.add") == 1 and _events(vault, "measure.retire") == 1


def test_scores_are_recorded_checked_and_listed(vault: Records) -> None:
    pupil = pupils.create(vault.sessions, PupilDetails("Okafor", "Chidi"), today=TODAY).pupil_id
    cycle = cycles.start(vault.sessions, pupil, TODAY)
    scale = next(
        m for m in measures.list_measures(vault.sessions) if m.details.scale_max is not None
    )
    reading = next(
        m for m in measures.list_measures(vault.sessions) if m.details.name == "Reading age"
    )
    measures.record_score(
        vault.sessions, pupil, ScoreEntry(reading.id, TODAY, "baseline", 74, cycle), TODAY
    )
    measures.record_score(
        vault.sessions,
        pupil,
        ScoreEntry(reading.id, TODAY - dt.timedelta(days=30), "during", 72),
        TODAY,
    )
    with pytest.raises(ValidationFailed) as bad:
        measures.record_score(
            vault.sessions,
            pupil,
            ScoreEntry(scale.id, TODAY + dt.timedelta(days=1), "later", 1_000),
            TODAY,
        )
    assert set(bad.value.problems) == {"recorded_on", "point", "value"}
    listed = measures.list_scores(vault.sessions, pupil)
    assert [(s.measure_name, s.value, s.point, s.cycle_number) for s in listed] == [
        ("Reading age", 72, "during", None),
        ("Reading age", 74, "baseline", 1),
    ]
    assert _events(vault, "score.record") == 2
    measures.delete_score(vault.sessions, listed[0].id)
    assert len(measures.list_scores(vault.sessions, pupil)) == 1


def test_a_retired_measure_takes_no_new_score(vault: Records) -> None:
    pupil = pupils.create(vault.sessions, PupilDetails("Okafor", "Chidi"), today=TODAY).pupil_id
    reading = next(
        m for m in measures.list_measures(vault.sessions) if m.details.name == "Reading age"
    )
    measures.set_retired(vault.sessions, reading.id)
    with pytest.raises(ValidationFailed, match="retired"):
        measures.record_score(
            vault.sessions, pupil, ScoreEntry(reading.id, TODAY, "baseline", 74), TODAY
        )
    assert measures.list_scores(vault.sessions, pupil) == []


def test_a_provision_names_its_impact_measure(vault: Records) -> None:
    from sendesk.cycle import AssessData, PlanData, ProvisionPlan

    pupil = pupils.create(vault.sessions, PupilDetails("Okafor", "Chidi"), today=TODAY).pupil_id
    assert measures.provision_measures(vault.sessions, pupil) == []
    cycle = cycles.start(vault.sessions, pupil, TODAY)
    cycles.save_assess(
        vault.sessions, cycle, AssessData(concern="Reading", needs=["SPLD"]), complete=True
    )
    cycles.save_plan(
        vault.sessions,
        cycle,
        PlanData(provisions=[ProvisionPlan("Precision teaching")]),
        complete=False,
        today=TODAY,
    )
    [provision] = measures.provision_measures(vault.sessions, pupil)
    assert (provision.description, provision.measure_id) == ("Precision teaching", None)
    reading = next(
        m for m in measures.list_measures(vault.sessions) if m.details.name == "Reading age"
    )
    assert measures.named_in_cycle(vault.sessions, cycle) == []
    measures.set_provision_measure(vault.sessions, provision.provision_id, reading.id)
    assert measures.provision_measures(vault.sessions, pupil)[0].measure_id == reading.id
    assert measures.named_in_cycle(vault.sessions, cycle) == [reading.id]
    with pytest.raises(ValidationFailed):
        measures.set_provision_measure(vault.sessions, provision.provision_id, 9_999)
    assert _events(vault, "provision.measure") == 1
