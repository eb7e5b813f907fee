"""The data behind a view: one row per unit of the view's level, as the view model has it.

Every row carries what the picture shows — status, the evidence of its
coverage, the covered counts and their documented part, the body's own
accession — plus the view it belongs to (Stichtag, evidence filter,
Gebietsstand), so a CSV taken out of context still says what it is.
"""

from __future__ import annotations

import pandas as pd

from loaders.coverage import Coverage
from loaders.sources import gebietsstand
from loaders.viewstate import ViewState
from viewmodel import text
from viewmodel.model import UNIT_COLUMNS, unit_table

VIEW_COLUMNS = ["stichtag", "compare", "evidence_filter", "gebietsstand"]


def data_table(cov: Coverage, view: ViewState) -> pd.DataFrame:
    """The rows behind the picture of ``view``, with the status in words beside its code.

    Examples
    --------
    >>> import datetime as dt
    >>> from loaders import store
    >>> table = data_table(store.load_coverage(), ViewState(dt.date(2024, 2, 1), region="057"))
    >>> len(table), int(table["gemeinden_covered_documented"].sum()), table["stichtag"].iat[0]
    (70, 1, '2024-02-01')
    """
    table = unit_table(cov, view)[UNIT_COLUMNS].copy()
    labels = {
        status: text.status_label(status, view.level, view.compare, view.lang)
        for status in set(table["status"]) | {"new"}
    }
    table.insert(table.columns.get_loc("status") + 1, "status_text", table["status"].map(labels))
    table["stichtag"] = view.date.isoformat()
    table["compare"] = view.compare.isoformat() if view.compare else None
    table["evidence_filter"] = view.evidence
    table["gebietsstand"] = gebietsstand()
    return table
