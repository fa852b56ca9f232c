"""Needs: SEN status and the ranked census needs, each with its broad area of need."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout

from sendesk import codes
from ui.context import FileContext
from ui.record.details_tab import DetailsTab
from ui.widgets import CodeCombo, DateField, LiveLabel, add_row


def _need_choices() -> list[tuple[str, str]]:
    return [(n.code, f"{n.code}: {n.label}") for n in codes.NEED_TYPES]


class NeedsTab(DetailsTab):
    title = "&Needs"

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        form = QFormLayout(self.body)
        self.status = CodeCombo("SEN status", codes.SEN_STATUS_LABELS.items())
        self.primary = CodeCombo("Primary need", _need_choices(), "None recorded")
        self.secondary = CodeCombo("Secondary need", _need_choices(), "None recorded")
        # Wrapped: on one line, a long broad area made the form scroll sideways at 150 %,
        # pushing Save off the pane.
        self.primary_area = LiveLabel("Broad area of the primary need")
        self.secondary_area = LiveLabel("Broad area of the secondary need")
        add_row(form, "SEN &status:", self.bind("sen_status", self.status))
        add_row(form, "&Primary need:", self.bind("primary_need", self.primary))
        form.addRow("", self.primary_area)
        add_row(form, "S&econdary need:", self.bind("secondary_need", self.secondary))
        form.addRow("", self.secondary_area)
        add_row(
            form,
            "On SEN support &since:",
            self.bind("sen_support_since", DateField("SEN support since")),
        )
        add_row(form, "&EHC plan since:", self.bind("ehc_plan_since", DateField("EHC plan since")))
        self.primary.currentIndexChanged.connect(self._show_areas)
        self.secondary.currentIndexChanged.connect(self._show_areas)

    def _show_areas(self) -> None:
        for combo, label in (
            (self.primary, self.primary_area),
            (self.secondary, self.secondary_area),
        ):
            area = codes.area_of_need(str(combo.code()) if combo.code() else None)
            label.setText(f"Broad area: {area.label} ({area.plain_words})" if area else "")

    def load(self) -> None:
        super().load()
        self._show_areas()
