"""The view: one small typed object shared by the URL, the widgets, the map, the exports and the CLI.

It holds only what a person chose (Stichtag, compare date, level, region,
evidence filter, language) and knows nothing of Streamlit. Its rules live in
one place, :func:`problem`: the allowed values of each field, the range of a
day, and that a compare date lies before the Stichtag. Every entry point asks
it and only reports differently: the constructor raises ``ValueError`` (a
programming error), :meth:`ViewState.checked` raises an ``InputError`` for the
command line, :meth:`ViewState.from_params` falls back and returns a
:class:`Notice` for the page. ``to_params`` writes the URL back.

A reversed date pair in a URL is swapped (the link's author gave both days
together; nothing the page showed moves) — the only place a swap happens. The
page's own changes are transitions of :mod:`dashboard.session`, which never
move the Stichtag a person chose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from loaders.dates import parse_iso_day
from loaders.errors import InputError

# The levels a view shows, finest first (with the Land above them: loaders.boundaries.LEVELS).
VIEW_LEVELS = ("gemeinde", "kreis", "regierungsbezirk")
# What a view admits: every accession, or only the documented ones.
EVIDENCE_FILTERS = ("all", "documented")
REGION_KEYS = ("051", "053", "055", "057", "059")
LANGUAGES = ("de", "en")
# The network was founded in January 2022; nothing can be covered before.
FIRST_DAY = dt.date(2022, 1, 1)
# A URL value is echoed in a notice at most this long (a notice is not a place for a payload).
NOTICE_VALUE_LIMIT = 40
# The fields that take one of a few values, and what each takes.
CHOICES = {"level": VIEW_LEVELS, "evidence": EVIDENCE_FILTERS, "region": REGION_KEYS, "lang": LANGUAGES}
DEFAULTS = {"compare": None, "level": "gemeinde", "region": None, "evidence": "all", "lang": "de"}


def problem(name: str, value, *, date: dt.date | None = None, today: dt.date | None = None) -> str | None:
    """What is wrong with ``value`` for the view's field ``name``; None when it is allowed.

    The one place of the view's rules. ``"unknown"``: not one of the field's
    values; ``"outside"``: a day before :data:`FIRST_DAY` or after ``today``
    (checked only when ``today`` is given); ``"order"``: a compare date not
    before the Stichtag ``date`` (checked only when ``date`` is given).

    Examples
    --------
    >>> problem("level", "bezirk"), problem("region", None), problem("region", "057")
    ('unknown', None, None)
    >>> problem("date", dt.date(2021, 6, 1), today=dt.date(2026, 1, 1))
    'outside'
    >>> problem("compare", dt.date(2024, 2, 1), date=dt.date(2024, 2, 1))
    'order'
    """
    if name in ("date", "compare"):
        if value is None:
            return None if name == "compare" else "unknown"
        if not isinstance(value, dt.date):
            return "unknown"
        if today is not None and not FIRST_DAY <= value <= today:
            return "outside"
        if name == "compare" and date is not None and value >= date:
            return "order"
        return None
    if value is None and DEFAULTS.get(name, "") is None:
        return None
    return None if value in CHOICES[name] else "unknown"


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
    if problem("date", day, today=today):
        raise InputError(
            f"{what} {day.isoformat()} is outside {FIRST_DAY.isoformat()} … {today.isoformat()} "
            "(the network was founded in January 2022)"
        )
    return day


@dataclass(frozen=True)
class Notice:
    """Something the page tells about the view it shows: a value it could not take, a date it dropped.

    ``key`` names the words in :data:`viewmodel.i18n.TEXTS` (German and
    English: the page says it in its language), ``fields`` fill them in (days
    as dates; the page writes them in its language). A ``"warning"`` refuses
    what a person asked for; an ``"info"`` tells a consequence (shown in a
    polite status region).
    """

    key: str
    fields: tuple[tuple[str, object], ...] = ()
    severity: str = "info"

    @classmethod
    def of(cls, key: str, severity: str = "info", **fields) -> Notice:
        """A notice by its text key, severity and the values its text names."""
        return cls(key, tuple(fields.items()), severity)

    def values(self) -> dict[str, object]:
        """The values the notice's text names."""
        return dict(self.fields)


def _shown(value) -> str:
    """A value from a URL as a notice may echo it: cut to :data:`NOTICE_VALUE_LIMIT` characters."""
    text = str(value)
    return text[:NOTICE_VALUE_LIMIT] + " …" if len(text) > NOTICE_VALUE_LIMIT else text


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
    >>> ViewState.from_params({"level": "bezirk"}, today=dt.date(2026, 11, 24))[1][0].values()
    {'name': 'level', 'value': 'bezirk', 'fallback': 'gemeinde'}
    """

    date: dt.date
    compare: dt.date | None = None
    level: str = "gemeinde"
    region: str | None = None
    evidence: str = "all"
    lang: str = "de"

    def __post_init__(self):
        for name in ("date", "compare", "level", "region", "evidence", "lang"):
            why = problem(name, getattr(self, name), date=self.date)
            if why == "order":
                raise ValueError(f"compare date {self.compare} must lie before the Stichtag {self.date}")
            if why:
                raise ValueError(f"unknown {name} {getattr(self, name)!r}")

    @classmethod
    def default(cls, today: dt.date | None = None) -> ViewState:
        """The view a visit without parameters gets: today, NRW, the default level and filter."""
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
        values = {"date": date, "compare": compare, "region": region, "level": level, "evidence": evidence}
        for name, value in {**values, "lang": lang}.items():
            why = problem(name, value, date=date, today=today)
            if why == "outside" and isinstance(value, dt.date):
                check_day(value, today, f"--{name}")
            elif why == "order":
                raise InputError(f"--compare {compare} must lie before --date {date}")
            elif why and name == "region":
                raise InputError(
                    f"unknown region {region!r}: expected a Regierungsbezirk key ({', '.join(REGION_KEYS)})"
                )
            elif why:
                raise InputError(f"unknown {name} {value!r}: choose one of {', '.join(CHOICES.get(name, ()))}")
        return cls(date=date, compare=compare, level=level, region=region, evidence=evidence, lang=lang)

    @classmethod
    def from_params(cls, params: Mapping[str, str], *, today: dt.date | None = None) -> tuple[ViewState, list[Notice]]:
        """Read a view from URL parameters; a bad value falls back with a :class:`Notice`.

        A value from the URL is echoed cut to :data:`NOTICE_VALUE_LIMIT`
        characters; whoever shows it must not interpret it as Markdown or
        HTML. A reversed pair of days is swapped, the same day twice is no
        comparison: each with a notice.
        """
        today = today or dt.date.today()
        notices: list[Notice] = []

        def bad(name: str, value, fallback) -> None:
            notices.append(Notice.of("notice_bad_value", "warning", name=name, value=_shown(value), fallback=fallback))

        def day(name: str, fallback: dt.date | None) -> dt.date | None:
            raw = params.get(name)
            if raw in (None, ""):
                return fallback
            try:
                parsed = parse_iso_day(str(raw))
            except ValueError:
                parsed = None
            if parsed is None or problem(name, parsed, today=today):
                bad(name, raw, fallback)
                return fallback
            return parsed

        def choice(name: str):
            raw = params.get(name)
            if raw in (None, ""):
                return DEFAULTS[name]
            if problem(name, raw):
                bad(name, raw, DEFAULTS[name])
                return DEFAULTS[name]
            return raw

        date, compare = day("date", today), day("compare", None)
        assert date is not None  # day() returns its fallback, today, when it has no valid date
        if compare is not None and compare > date:
            notices.append(Notice.of("notice_swapped", "warning", compare=compare, date=date))
            date, compare = compare, date
        elif compare is not None and compare == date:
            notices.append(Notice.of("notice_same_day", "warning"))
            compare = None
        region = params.get("region")
        view = cls(
            date=date,
            compare=compare,
            level=choice("level"),
            region=None if region in ("05", "nrw", "NRW") else choice("region"),
            evidence=choice("evidence"),
            lang=choice("lang"),
        )
        return view, notices

    def to_params(self) -> dict[str, str]:
        """URL parameters that reproduce this view; defaults are left out."""
        params = {"date": self.date.isoformat()}
        if self.compare:
            params["compare"] = self.compare.isoformat()
        for name in ("level", "region", "evidence", "lang"):
            value = getattr(self, name)
            if value != DEFAULTS[name]:
                params[name] = value
        return params

    def with_(self, **changes) -> ViewState:
        """A copy with ``changes``; one that breaks a rule (a compare date not before the Stichtag) raises ValueError.

        What the page does when a change would break one is
        :mod:`dashboard.session`'s to decide, and to say.
        """
        return replace(self, **changes)
