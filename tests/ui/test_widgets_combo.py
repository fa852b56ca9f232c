"""A pick list too narrow for a name ends it in "…" and gives it whole in its tooltip."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.widgets import CodeCombo


def test_a_long_name_is_shortened_whole_letters_only_and_given_whole_in_the_tooltip(
    qtbot: QtBot,
) -> None:
    choices = [
        ("SLCN", "SLCN: Speech, language and communication needs"),
        ("MLD", "MLD: Moderate learning difficulty"),
    ]
    combo = CodeCombo("Primary need", choices)
    qtbot.addWidget(combo)
    combo.resize(120, combo.sizeHint().height())
    combo.show()
    combo.set_code("MLD")
    combo.set_code("SLCN")
    assert combo.toolTip() == "SLCN: Speech, language and communication needs"
    assert not combo.grab().isNull()  # painted through the shortening, without error
