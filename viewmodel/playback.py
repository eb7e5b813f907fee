"""Playback over time: the steps „Abspielen“ takes, month by month or event by event.

Pure. The timeline charts themselves are :mod:`viewmodel.charts` (what they
show) and :mod:`dashboard.chartview` (the component that draws them).
"""

from __future__ import annotations

import datetime as dt

STEP_MODES = ("month", "event")


def next_stop(day: dt.date, mode: str, stops: list[dt.date], last: dt.date) -> dt.date | None:
    """The next day playback shows after ``day``, or None at the end.

    Parameters
    ----------
    day : datetime.date
        The current Stichtag.
    mode : str
        "month": the first day of the next month; "event": the next day in
        ``stops`` (the days on which coverage changes).
    stops : list of datetime.date
        Sorted change days, used by "event".
    last : datetime.date
        The end of the range (today); playback stops there.

    Examples
    --------
    >>> next_stop(dt.date(2023, 12, 15), "month", [], dt.date(2026, 1, 1))
    datetime.date(2024, 1, 1)
    >>> stops = [dt.date(2023, 9, 8), dt.date(2024, 2, 1)]
    >>> next_stop(dt.date(2023, 9, 8), "event", stops, dt.date(2026, 1, 1))
    datetime.date(2024, 2, 1)
    >>> next_stop(dt.date(2024, 2, 1), "event", stops, dt.date(2026, 1, 1)) is None
    True
    >>> next_stop(dt.date(2025, 12, 20), "month", [], dt.date(2025, 12, 31))
    datetime.date(2025, 12, 31)
    """
    if day >= last:
        return None
    if mode == "event":
        return next((stop for stop in stops if day < stop <= last), None)
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return min(following, last)
