"""ReportLab runs on its C accelerator, not its pure-Python fallbacks (three times slower)."""

from __future__ import annotations

import types

from reportlab.lib import rl_accel


def test_reportlab_uses_its_c_accelerator() -> None:
    for name in ("fp_str", "unicode2T1", "escapePDF", "instanceStringWidthT1"):
        assert isinstance(getattr(rl_accel, name), types.BuiltinFunctionType), name
