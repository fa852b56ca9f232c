"""The demo's names are Faker's lists, kept in sendesk/demo_names.py, and a demo is built without
loading Faker at all."""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

from sendesk import demo, demo_names, demo_text
from tests.unit.test_startup import imported_by

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import write_demo_names  # noqa: E402 - the generator, beside its helper in tools/


def test_the_kept_names_are_what_faker_holds() -> None:
    # Fails when Faker's lists or the demo's locales changed: run tools/write_demo_names.py.
    assert write_demo_names.kept_lists() == demo_names.NAMES


def test_every_locale_has_names_of_each_kind_with_a_weight_for_each_when_weighted() -> None:
    for locale, _ in demo_text.NAME_LOCALES:
        for kind in ("female", "male", "boy_surnames", "girl_surnames"):
            names, cumulative = demo._name_list(locale, kind)
            assert names and all(name.strip() == name and name for name in names)
            if cumulative is not None:
                assert len(cumulative) == len(names)
                assert cumulative == sorted(cumulative) and cumulative[0] > 0


def test_a_girl_s_surname_takes_the_female_form_where_a_language_has_one() -> None:
    rng = random.Random(7)
    czech_girls = {demo._pick(rng, "cs_CZ", "girl_surnames") for _ in range(200)}
    czech_boys = {demo._pick(rng, "cs_CZ", "boy_surnames") for _ in range(200)}
    assert all(name.endswith("á") for name in czech_girls)  # Nováková, Svobodová...
    assert not any(name.endswith("ová") for name in czech_boys)


def test_the_names_are_drawn_from_every_locale_and_the_fixed_names_appear() -> None:
    drawn = list(demo._names(random.Random(3), 3000))
    assert set(demo_text.FIXED_NAMES) <= set(drawn)
    lists = {
        locale: {
            name
            for kind in ("female", "male", "boy_surnames", "girl_surnames")
            for name in demo._name_list(locale, kind)[0]
        }
        for locale, _ in demo_text.NAME_LOCALES
    }
    came_from = Counter(
        next(loc for loc, names in lists.items() if first in names and last in names)
        for first, last, _ in drawn
        if (first, last, _) not in demo_text.FIXED_NAMES
    )
    assert set(came_from) == set(lists)
    assert came_from.most_common(1)[0][0] == "en_GB"  # weighted as a school in England


def test_a_demo_is_built_without_loading_faker(tmp_path: Path, cli_passphrase: None) -> None:
    modules = imported_by("demo", str(tmp_path / "demo.sendesk"), "--pupils", "30")
    assert "sqlalchemy" in modules and "faker" not in modules
