"""A date typed on the command line or in a form is a real one within a school's years."""

from __future__ import annotations

import pytest

from sendesk import dates
from sendesk.errors import BadInput
from tests.cli_support import run


@pytest.mark.parametrize(
    "text", ["01/09/2026", "2026-09-01", "01.09.2026", "1/9/1900", "31/12/2100"]
)
def test_real_dates_in_any_school_form_are_read(text: str) -> None:
    assert dates.parse(text).year in (1900, 2026, 2100)


@pytest.mark.parametrize("text", ["31/02/2015", "2015-13-01", "00/00/0000", "tomorrow"])
def test_dates_that_do_not_exist_say_how_to_write_one(text: str) -> None:
    with pytest.raises(BadInput, match="not a real date; write it as DD/MM/YYYY"):
        dates.parse(text)


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "31/12/1899", "01/01/2101"])
def test_years_no_school_record_is_about_are_refused(text: str) -> None:
    with pytest.raises(BadInput, match="between 1900 and 2100"):
        dates.parse(text)


@pytest.mark.parametrize(
    "argv",
    [
        ("reviews", "{file}", "--as-of", "9999-12-31"),
        ("plans", "{file}", "--week", "9999-12-31", "--out", "{tmp}/w.pdf"),
        ("provision-map", "{file}", "--date", "0001-01-01"),
        ("census", "{file}", "--date", "9999-12-31"),
        ("retention", "{file}", "--today", "0001-01-01"),
    ],
    ids=["reviews", "plans", "provision-map", "census", "retention"],
)
def test_commands_refuse_such_a_year_as_bad_input(
    demo_file: object, cli_passphrase: None, tmp_path: object, capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
) -> None:  # fmt: skip
    with pytest.raises(SystemExit) as exited:
        run(capsys, *(a.format(file=demo_file, tmp=tmp_path) for a in argv))
    assert exited.value.code == 2
    assert "between 1900 and 2100" in capsys.readouterr().err


def test_an_imported_date_in_no_school_year_is_said_as_such() -> None:
    from sendesk.importers.values import Bad, parse_date

    with pytest.raises(Bad, match="between 1900 and 2100"):
        parse_date("01/01/1850")
    with pytest.raises(Bad, match="not a real date"):
        parse_date("31/02/2015")
    assert parse_date("2015-02-28 00:00:00").year == 2015
