"""The view: one small typed object shared by the URL, the widgets, the map and the exports.

It holds only what a person chose (Stichtag, compare date, level, region,
evidence filter) and knows nothing of Streamlit: ``from_params`` reads a
mapping such as ``st.query_params`` and ``to_params`` writes one back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from loaders.dates import parse_iso_day

VIEW_LEVELS = ("gemeinde", "kreis", "regierungsbezirk")
EVIDENCE_CHOICES = ("all", "documented")
REGION_KEYS = ("051", "053", "055", "057", "059")
# The network was founded in January 2022; nothing can be covered before.
FIRST_DAY = dt.date(2022, 1, 1)


@dataclass(frozen=True)
class ViewState:
    """What a person is looking at.

    Examples
    --------
    >>> view, notices = ViewState.from_params({"date": "2024-02-01", "region": "057"},
    ...                                       today=dt.date(2026, 11, 24))
    >>> view.date, view.region, view.level, notices
    (datetime.date(2024, 2, 1), '057', 'gemeinde', [])
    >>> view.to_params()
    {'date': '2024-02-01', 'region': '057'}
    >>> ViewState.from_params({"level": "bezirk"}, today=dt.date(2026, 11, 24))[1]
    ["Ungültiger Wert für „level“: 'bezirk' – Standard „gemeinde“ verwendet."]
    """

    date: dt.date
    compare: dt.date | None = None
    level: str = "gemeinde"
    region: str | None = None
    evidence: str = "all"

    def __post_init__(self):
        if self.level not in VIEW_LEVELS:
            raise ValueError(f"unknown level {self.level!r}")
        if self.evidence not in EVIDENCE_CHOICES:
            raise ValueError(f"unknown evidence {self.evidence!r}")
        if self.region is not None and self.region not in REGION_KEYS:
            raise ValueError(f"unknown region {self.region!r}")

    @classmethod
    def default(cls, today: dt.date | None = None) -> ViewState:
        return cls(date=today or dt.date.today())

    @classmethod
    def from_params(cls, params: Mapping[str, str], *, today: dt.date | None = None) -> tuple[ViewState, list[str]]:
        """Read a view from URL parameters; bad values fall back with a German notice."""
        today = today or dt.date.today()
        notices: list[str] = []

        def bad(name: str, value: str, fallback: str) -> None:
            notices.append(f"Ungültiger Wert für „{name}“: {value!r} – Standard „{fallback}“ verwendet.")

        def day(name: str, fallback: dt.date | None) -> dt.date | None:
            raw = params.get(name)
            if raw in (None, ""):
                return fallback
            try:
                value = parse_iso_day(str(raw))
            except ValueError:
                bad(name, raw, fallback.isoformat() if fallback else "kein")
                return fallback
            if not FIRST_DAY <= value <= today:
                bad(name, raw, fallback.isoformat() if fallback else "kein")
                return fallback
            return value

        def choice(name: str, allowed, fallback):
            raw = params.get(name)
            if raw in (None, ""):
                return fallback
            if raw not in allowed:
                bad(name, raw, fallback or "NRW")
                return fallback
            return raw

        region = params.get("region")
        region = None if region in ("05", "nrw", "NRW") else region
        view = cls(
            date=day("date", today),
            compare=day("compare", None),
            level=choice("level", VIEW_LEVELS, "gemeinde"),
            region=choice("region", REGION_KEYS, None) if region else None,
            evidence=choice("evidence", EVIDENCE_CHOICES, "all"),
        )
        return view, notices

    def to_params(self) -> dict[str, str]:
        """URL parameters that reproduce this view; defaults are left out."""
        params = {"date": self.date.isoformat()}
        if self.compare:
            params["compare"] = self.compare.isoformat()
        if self.level != "gemeinde":
            params["level"] = self.level
        if self.region:
            params["region"] = self.region
        if self.evidence != "all":
            params["evidence"] = self.evidence
        return params

    def with_(self, **changes) -> ViewState:
        return replace(self, **changes)
