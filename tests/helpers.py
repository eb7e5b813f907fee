"""What several test modules share: small in-code unit tables, accession rows, the TopoJSON reader.

Fixtures live in ``tests/conftest.py``; plain functions and constants live here, so that no
test module imports from another.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely import box
from topojson.utils import serialize_as_geojson

from loaders.paths import PROJECT_ROOT
from loaders.webgeometry import TOPOJSON_OBJECT

#: The dashboard's entry script, as AppTest, the browser and the deployment tests start it.
APP = PROJECT_ROOT / "dashboard" / "app.py"
#: Committed reference values (never rendered pictures: those derive from the licensed geodata).
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


# -- unit tables and accession rows ---------------------------------------------------------
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


def small_units() -> pd.DataFrame:
    """Kreis Kleve with Stadt Kleve, kreisfreie Städte Hamm and Mülheim, Städteregion Aachen, one RB."""
    rows = [
        ("regierungsbezirk", "051", "Düsseldorf", None),
        ("regierungsbezirk", "057", "Detmold", None),
        ("kreis", "05154", "Kleve", "05154"),
        ("gemeinde", "05154036", "Kleve", "05154"),
        ("gemeinde", "05154008", "Emmerich am Rhein", "05154"),
        ("kreis", "05915", "Hamm", "05915"),
        ("gemeinde", "05915000", "Hamm", "05915"),
        ("kreis", "05170", "Wesel", "05170"),
        ("gemeinde", "05170012", "Hamminkeln", "05170"),
        ("kreis", "05117", "Mülheim a.d. Ruhr", "05117"),
        ("gemeinde", "05117000", "Mülheim an der Ruhr", "05117"),
        ("kreis", "05111", "Düsseldorf", "05111"),
        ("gemeinde", "05111000", "Düsseldorf", "05111"),
        ("kreis", "05378", "Rheinisch-Bergischer Kreis", "05378"),
        ("gemeinde", "05378016", "Leichlingen (Rhld.)", "05378"),
        ("kreis", "05334", "Städteregion Aachen", "05334"),
        ("gemeinde", "05334002", "Aachen", "05334"),
        ("kreis", "05382", "Rhein-Sieg-Kreis", "05382"),
        ("gemeinde", "05382056", "Sankt Augustin", "05382"),
        ("kreis", "05766", "Lippe", "05766"),
        ("gemeinde", "05766020", "Detmold", "05766"),
        ("kreis", "05558", "Coesfeld", "05558"),
        ("gemeinde", "05558016", "Nottuln", "05558"),
        ("gemeinde", "05558012", "Coesfeld", "05558"),
        ("kreis", "05954", "Ennepe-Ruhr-Kreis", "05954"),
        ("gemeinde", "05954032", "Wetter (Ruhr)", "05954"),
        ("kreis", "05566", "Steinfurt", "05566"),
        ("gemeinde", "05566088", "Tecklenburg", "05566"),
        ("gemeinde", "05566076", "Schloß Holte-Stukenbrock", "05566"),
    ]
    return pd.DataFrame(rows, columns=["level", "key", "name", "kreis_key"])


# -- TopoJSON as the browser reads it --------------------------------------------------------

def decode(text: str | bytes) -> dict[str, shapely.Geometry]:
    """Unit key -> polygon, as ``topojson.feature(topology, topology.objects.units)`` gives the browser."""
    collection = serialize_as_geojson(json.loads(text), objectname=TOPOJSON_OBJECT)
    return {feature["id"]: shapely.geometry.shape(feature["geometry"]) for feature in collection["features"]}


def assert_valid_coverage(units: dict[str, shapely.Geometry]) -> None:
    """Every polygon valid, and together a coverage: no overlaps, no mismatched shared edges."""
    geometries = np.asarray(list(units.values()))
    assert shapely.is_valid(geometries).all(), [shapely.is_valid_reason(g) for g in geometries if not g.is_valid]
    invalid = shapely.coverage_invalid_edges(geometries)
    assert all(edge is None or edge.is_empty for edge in invalid)
