"""The data behind a view: the view model's rows (:mod:`viewmodel.rows`) for one :class:`ViewState`.

``sid-atlas coverage`` writes the same rows (json, csv), so the command line
and the exports cannot disagree.
"""

from __future__ import annotations

import pandas as pd

from loaders.coverage import Coverage
from loaders.viewstate import ViewState
from viewmodel import model
from viewmodel.rows import DATA_COLUMNS, VIEW_COLUMNS, data_rows, view_fields

__all__ = ["DATA_COLUMNS", "VIEW_COLUMNS", "data_rows", "data_table", "view_fields"]


def data_table(cov: Coverage, view: ViewState) -> pd.DataFrame:
    """The rows behind the picture of ``view``, with the status in words beside its code.

    Examples
    --------
    >>> import datetime as dt
    >>> from register import atlasdata
    >>> table = data_table(atlasdata.load_coverage(), ViewState(dt.date(2024, 2, 1), region="057"))
    >>> len(table), int(table["gemeinden_covered_documented"].sum()), table["stichtag"].iat[0]
    (70, 1, '2024-02-01')
    >>> table.set_index("key").loc["05711000", "status_text"]
    'abgedeckt – abgeleitet aus dem Beitritt des RB Detmold (1. Februar 2024)'
    """
    table = model.unit_table(cov, view)
    rows = data_rows(cov, table, view.date, view.compare, view.evidence)
    # The map's drawing columns stay in: the package and the tests read them; the files drop them.
    rows.insert(rows.columns.get_loc("new") + 1, "shown", table["shown"])
    rows.insert(rows.columns.get_loc("shown") + 1, "hatched", table["hatched"])
    return rows
