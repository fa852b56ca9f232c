"""The column mapping: checked as a whole, and changed by "COLUMN=FIELD" pairs."""

from __future__ import annotations

from collections.abc import Sequence

from sendesk.errors import BadInput
from sendesk.importers.fields import FIELDS, REQUIRED_FIELDS, Mapping, column_key
from sendesk.importers.source import Source, SourceProblem


def check_mapping(source: Source, mapping: Sequence[str | None]) -> None:
    """`SourceProblem` unless every required field has one column and no field has two."""
    if len(mapping) != len(source.columns):
        raise SourceProblem("The column mapping does not match the file's columns.")
    seen: dict[str, str] = {}
    for name, target in zip(source.columns, mapping, strict=True):
        if target is None:
            continue
        if target not in FIELDS:
            raise SourceProblem(f"{target!r} is not a pupil field SENDesk can import.")
        if target in seen:
            raise SourceProblem(
                f"Both “{seen[target]}” and “{name}” are mapped to {FIELDS[target]}; "
                "map only one of them."
            )
        seen[target] = name
    missing = [FIELDS[f] for f in REQUIRED_FIELDS if f not in seen]
    if missing:
        raise SourceProblem(
            "No column is mapped to " + " or ".join(missing) + "; rows are matched by UPN and "
            "every pupil needs legal names."
        )


def parse_mapping_override(source: Source, pairs: Sequence[str]) -> Mapping:
    """The guessed mapping changed by "COLUMN=FIELD" pairs (FIELD empty or "-" ignores it)."""
    mapping = source.guess_mapping()
    by_key = {column_key(name): i for i, name in reversed(list(enumerate(source.columns)))}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        if not sep:
            raise BadInput(f'{pair!r} should be written COLUMN=FIELD, e.g. "Reg Group=class_name".')
        index = by_key.get(column_key(column))
        if index is None:
            raise BadInput(f"The file has no column called {column.strip()!r}.")
        wanted = target.strip()
        if wanted in ("", "-"):
            mapping[index] = None
            continue
        if wanted not in FIELDS:
            raise BadInput(f"{wanted!r} is not a field; use one of: {', '.join(FIELDS)}.")
        mapping = [None if m == wanted else m for m in mapping]
        mapping[index] = wanted
    return mapping
