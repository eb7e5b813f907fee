"""The view: one small typed object shared by the URL, the widgets, the map, the exports and the CLI.

It holds only what a person chose (Stichtag, compare date, level, region,
evidence filter, language) and knows nothing of Streamlit: ``from_params``
reads a mapping such as ``st.query_params`` and ``to_params`` writes one back;
:meth:`ViewState.checked` is the one validation every entry point goes through
(URL, widgets, ``sid-atlas export`` and ``sid-atlas coverage``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from loaders.dates import parse_iso_day
from loaders.errors import InputError

VIEW_LEVELS = ("gemeinde", "kreis", "regierungsbezirk")
EVIDENCE_CHOICES = ("all", "documented")
REGION_KEYS = ("051", "053", "055", "057", "059")
LANGUAGES = ("de", "en")
# The network was founded in January 2022; nothing can be covered before.
FIRST_DAY = dt.date(2022, 1, 1)
# A URL value is echoed in a notice at most this long (a notice is not a place for a payload).
NOTICE_VALUE_LIMIT = 40


def check_day(day: dt.date, today: dt.date, what: str = "date") -> dt.date:
    """``day`` if it lies between :data:`FIRST_DAY` and ``today``, else an InputError naming it.

    Examples
    --------
    >>> check_day(dt.date(2024, 2, 1), dt.date(2026, 1, 1))
    datetime.date(2024, 2, 1)
    >>> check_day(dt.date(2021, 6, 1), dt.date(2026, 1, 1))
    Traceback (most recent call last):
    ...
    loaders.errors.InputError: date 2021-06-01 is outside 2022-01-01 … 2026-01-01 (the network was founded in January 2022)
    """
    if not FIRST_DAY <= day <= today:
        raise InputError(
            f"{what} {day.isoformat()} is outside {FIRST_DAY.isoformat()} … {today.isoformat()} "
            "(the network was founded in January 2022)"
        )
    return day


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
    ['Ungültiger Wert für „level“: bezirk – Standard „gemeinde“ verwendet.']
    """

    date: dt.date
    compare: dt.date | None = None
    level: str = "gemeinde"
    region: str | None = None
    evidence: str = "all"
    lang: str = "de"

    def __post_init__(self):
        if self.level not in VIEW_LEVELS:
            raise ValueError(f"unknown level {self.level!r}")
        if self.evidence not in EVIDENCE_CHOICES:
            raise ValueError(f"unknown evidence {self.evidence!r}")
        if self.region is not None and self.region not in REGION_KEYS:
            raise ValueError(f"unknown region {self.region!r}")
        if self.lang not in LANGUAGES:
            raise ValueError(f"unknown language {self.lang!r}")
        if self.compare is not None and self.compare >= self.date:
            raise ValueError(f"compare date {self.compare} must lie before the Stichtag {self.date}")

    @classmethod
    def default(cls, today: dt.date | None = None) -> ViewState:
        return cls(date=today or dt.date.today())

    @classmethod
    def checked(
        cls,
        *,
        date: dt.date,
        compare: dt.date | None = None,
        level: str = "gemeinde",
        region: str | None = None,
        evidence: str = "all",
        lang: str = "de",
        today: dt.date | None = None,
    ) -> ViewState:
        """A view from values a person typed (the CLI), or an InputError naming the bad one.

        Examples
        --------
        >>> ViewState.checked(date=dt.date(2024, 2, 1), compare=dt.date(2024, 3, 1), today=dt.date(2026, 1, 1))
        Traceback (most recent call last):
        ...
        loaders.errors.InputError: --compare 2024-03-01 must lie before --date 2024-02-01
        """
        today = today or dt.date.today()
        check_day(date, today, "--date")
        if compare is not None:
            check_day(compare, today, "--compare")
            if compare >= date:
                raise InputError(f"--compare {compare} must lie before --date {date}")
        if region is not None and region not in REGION_KEYS:
            raise InputError(f"unknown region {region!r}: expected a Regierungsbezirk key ({', '.join(REGION_KEYS)})")
        for name, value, allowed in (
            ("level", level, VIEW_LEVELS),
            ("evidence", evidence, EVIDENCE_CHOICES),
            ("lang", lang, LANGUAGES),
        ):
            if value not in allowed:
                raise InputError(f"unknown {name} {value!r}: choose one of {', '.join(allowed)}")
        return cls(date=date, compare=compare, level=level, region=region, evidence=evidence, lang=lang)

    @classmethod
    def from_params(cls, params: Mapping[str, str], *, today: dt.date | None = None) -> tuple[ViewState, list[str]]:
        """Read a view from URL parameters; bad values fall back with a German notice.

        Notices are plain text: a value from the URL is cut to
        :data:`NOTICE_VALUE_LIMIT` characters; whoever shows it must not
        interpret it as Markdown or HTML.
        """
        today = today or dt.date.today()
        notices: list[str] = []

        def bad(name: str, value: str, fallback: str) -> None:
            shown = str(value)
            if len(shown) > NOTICE_VALUE_LIMIT:
                shown = shown[:NOTICE_VALUE_LIMIT] + " …"
            notices.append(f"Ungültiger Wert für „{name}“: {shown} – Standard „{fallback}“ verwendet.")

        def day(name: str, fallback: dt.date | None) -> dt.date | None:
            raw = params.get(name)
            if raw in (None, ""):
                return fallback
            try:
                return check_day(parse_iso_day(str(raw)), today)
            except (ValueError, InputError):
                bad(name, raw, fallback.isoformat() if fallback else "kein")
                return fallback

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
        date, compare = day("date", today), day("compare", None)
        assert date is not None  # day() returns its fallback, today, when it has no valid date
        if compare is not None and compare > date:
            notices.append(
                f"Vergleichsdatum {compare.isoformat()} lag nach dem Stichtag {date.isoformat()}: "
                "die beiden Daten wurden getauscht."
            )
            date, compare = compare, date
        elif compare is not None and compare == date:
            notices.append("Vergleichsdatum gleich dem Stichtag: kein Vergleich.")
            compare = None
        view = cls(
            date=date,
            compare=compare,
            level=choice("level", VIEW_LEVELS, "gemeinde"),
            region=choice("region", REGION_KEYS, None) if region else None,
            evidence=choice("evidence", EVIDENCE_CHOICES, "all"),
            lang=choice("lang", LANGUAGES, "de"),
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
        if self.lang != "de":
            params["lang"] = self.lang
        return params

    def with_(self, **changes) -> ViewState:
        """A copy with ``changes``; a compare date no longer before the Stichtag is dropped."""
        changed = {**self.__dict__, **changes}
        if changed["compare"] is not None and changed["compare"] >= changed["date"]:
            changes["compare"] = None
        return replace(self, **changes)
