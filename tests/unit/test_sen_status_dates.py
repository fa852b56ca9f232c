"""'On SEN support since' is dated by one rule on every path onto the register."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sendesk.cycle import AssessData
from sendesk.services import cycles, pupils
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault
from tests.unit.test_cycles_service import plan

TODAY = dt.date(2026, 11, 23)
EARLIER = dt.date(2025, 9, 10)


def _pupil(vault: Vault, **fields: object) -> int:
    details = replace(PupilDetails("Okafor", "Chidi"), **fields)
    return pupils.create(vault.sessions, details, today=TODAY).pupil_id


def test_setting_sen_support_in_the_profile_dates_it_today(vault: Vault) -> None:
    pupil_id = _pupil(vault)
    seen = pupils.details(vault.sessions, pupil_id)
    assert seen.sen_support_since is None
    pupils.update(
        vault.sessions, pupil_id, replace(seen, sen_status="K", primary_need="SPLD"), TODAY
    )
    assert pupils.details(vault.sessions, pupil_id).sen_support_since == TODAY


def test_a_date_the_senco_writes_in_the_same_save_is_kept(vault: Vault) -> None:
    pupil_id = _pupil(vault)
    seen = pupils.details(vault.sessions, pupil_id)
    typed = replace(seen, sen_status="K", primary_need="SPLD", sen_support_since=EARLIER)
    pupils.update(vault.sessions, pupil_id, typed, TODAY)
    assert pupils.details(vault.sessions, pupil_id).sen_support_since == EARLIER


def test_a_new_pupil_on_sen_support_is_dated_unless_a_date_is_given(vault: Vault) -> None:
    undated = _pupil(vault, sen_status="K", primary_need="SPLD")
    dated = _pupil(vault, legal_surname="Shah", sen_status="K", sen_support_since=EARLIER)
    assert pupils.details(vault.sessions, undated).sen_support_since == TODAY
    assert pupils.details(vault.sessions, dated).sen_support_since == EARLIER


def test_an_unchanged_status_keeps_its_date_and_a_new_spell_starts_today(vault: Vault) -> None:
    pupil_id = _pupil(vault, sen_status="K", primary_need="SPLD", sen_support_since=EARLIER)
    seen = pupils.details(vault.sessions, pupil_id)
    pupils.update(vault.sessions, pupil_id, replace(seen, what_helps="A quiet room"), TODAY)
    assert pupils.details(vault.sessions, pupil_id).sen_support_since == EARLIER
    # Off the register, then back on a year later: the new spell is this one's.
    seen = pupils.details(vault.sessions, pupil_id)
    pupils.update(vault.sessions, pupil_id, replace(seen, sen_status="N"), TODAY)
    seen = pupils.details(vault.sessions, pupil_id)
    later = TODAY + dt.timedelta(days=365)
    pupils.update(vault.sessions, pupil_id, replace(seen, sen_status="K"), later)
    assert pupils.details(vault.sessions, pupil_id).sen_support_since == later


def test_agreeing_a_plan_dates_the_pupils_sen_support(vault: Vault) -> None:
    pupil_id = _pupil(vault)
    cycle_id = cycles.start(vault.sessions, pupil_id, TODAY)
    cycles.save_assess(
        vault.sessions, cycle_id, AssessData(concern="x", needs=["SPLD"]), complete=True
    )
    cycles.save_plan(vault.sessions, cycle_id, plan(), complete=True, today=TODAY)
    saved = pupils.details(vault.sessions, pupil_id)
    assert (saved.sen_status, saved.sen_support_since) == ("K", TODAY)
