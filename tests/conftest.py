"""Shared fixtures: the real NRW data once per session, and tiny in-code units."""

from __future__ import annotations

import pandas as pd
import pytest
from shapely import box

from loaders import store


@pytest.fixture(scope="session")
def units():
    """The validated NRW unit table from ../shared/geodata (built into the cache once)."""
    return store.load_units()


@pytest.fixture(scope="session")
def coverage():
    """The coverage model from the shipped accession data."""
    return store.load_coverage()


def tiny_units() -> pd.DataFrame:
    """A two-Kreis toy Land: RB 050 with Kreis 05001 (two Gemeinden) and kreisfreie Stadt 05002.

    Gemeinde 05001001 has 100 inhabitants, 05001002 has 300, the city 600.
    """
    rows = [
        ("land", "05", "Toyland", None, None, 1000, 3.0, box(0, 0, 3, 1)),
        ("regierungsbezirk", "050", "Toybezirk", None, "050", 1000, 3.0, box(0, 0, 3, 1)),
        ("kreis", "05001", "Kreis Eins", "05001", "050", 400, 2.0, box(0, 0, 2, 1)),
        ("kreis", "05002", "Stadtkreis", "05002", "050", 600, 1.0, box(2, 0, 3, 1)),
        ("gemeinde", "05001001", "Adorf", "05001", "050", 100, 1.0, box(0, 0, 1, 1)),
        ("gemeinde", "05001002", "Bedorf", "05001", "050", 300, 1.0, box(1, 0, 2, 1)),
        ("gemeinde", "05002000", "Cestadt", "05002", "050", 600, 1.0, box(2, 0, 3, 1)),
    ]
    return pd.DataFrame(rows, columns=["level", "key", "name", "kreis_key", "rb_key", "population",
                                       "area_km2", "geometry"])


def accession(name, kind, key, joined_on, precision="day", evidence="documented", event="",
              source="test fixture", left_on="", note="", certain_by=""):
    """One accession row in the shipped schema."""
    return {"name": name, "kind": kind, "key": key, "joined_on": joined_on, "date_precision": precision,
            "certain_by": certain_by, "evidence": evidence, "event": event, "source": source,
            "left_on": left_on, "note": note}


def tiny_events(date="2023-06-01") -> pd.DataFrame:
    return pd.DataFrame([{"event": "rb050", "rb_key": "050", "region": "Toybezirk", "date": date,
                          "date_precision": "day", "wording": "die kommunale Familie", "source": "fixture"}])


def shipped_accessions_with(folder, key: str, **changes):
    """The shipped accession CSV written to ``folder`` with one Gemeinde's row changed.

    Used to feed hostile or formula-like text through ``--members``.
    """
    import csv

    from loaders.accessions import ACCESSIONS_CSV

    rows = list(csv.DictReader(ACCESSIONS_CSV.read_text(encoding="utf-8").splitlines()))
    for row in rows:
        if row["kind"] == "gemeinde" and row["key"] == key:
            row.update(changes)
    path = folder / "accessions.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path
