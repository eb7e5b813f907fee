"""What BITV NRW asks the pages to name that the atlas cannot know: operator, address, contacts, review, DGS video.

The Erklärung zur Barrierefreiheit (BITV NRW § 4, EU model statement) names
the public body responsible for the site, the address it covers and a way to
reach that body besides the feedback form; BITV NRW § 17 (2) asks for an
explanation in Deutscher Gebärdensprache. None of it ships with the atlas, so
it comes from configuration, each value from the first place that has it:

1. the environment (:data:`SETTINGS`: ``$SID_ATLAS_OPERATOR_NAME``,
   ``$SID_ATLAS_OPERATOR_ADDRESS``, ``$SID_ATLAS_OPERATOR_EMAIL``,
   ``$SID_ATLAS_OPERATOR_PHONE``, ``$SID_ATLAS_SITE_URL``,
   ``$SID_ATLAS_STATEMENT_REVIEWED``, ``$SID_ATLAS_DGS_VIDEO``,
   ``$SID_ATLAS_DGS_CAPTIONS``);
2. the ``[accessibility]`` table of ``.streamlit/secrets.toml`` (the keys in
   :data:`SETTINGS`), read like the ``[publisher]`` table of the open-data package.

Every value is checked (length, characters, an address that is a placeholder
such as ``example.org``, a video that is not a readable MP4/WebM file of at
most :data:`MAX_VIDEO_MB`); a bad value is left out and named in
:attr:`Settings.problems` — logged, never shown, since it may name a server
path. What is missing is shown on the pages as "nicht konfiguriert", never
filled with a placeholder that looks real.

No Streamlit here: the pages (``barrierefreiheit.py``, ``leichte_sprache.py``) draw it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exports.publisher import check_email, check_name, check_url
from loaders.errors import InputError
from register.config import SECRETS_PATH

SECTION = "accessibility"
# field -> (environment variable, key in [accessibility])
SETTINGS = {
    "operator_name": ("SID_ATLAS_OPERATOR_NAME", "operator_name"),
    "operator_address": ("SID_ATLAS_OPERATOR_ADDRESS", "operator_address"),
    "operator_email": ("SID_ATLAS_OPERATOR_EMAIL", "operator_email"),
    "operator_phone": ("SID_ATLAS_OPERATOR_PHONE", "operator_phone"),
    "site_url": ("SID_ATLAS_SITE_URL", "site_url"),
    "reviewed": ("SID_ATLAS_STATEMENT_REVIEWED", "reviewed"),
    "dgs_video": ("SID_ATLAS_DGS_VIDEO", "dgs_video"),
    "dgs_captions": ("SID_ATLAS_DGS_CAPTIONS", "dgs_captions"),
}
MAX_ADDRESS = 300
MAX_PHONE = 40
# Streamlit serves a video from memory (st.video reads the file once per change of it).
MAX_VIDEO_MB = 200
MAX_CAPTIONS_KB = 512
VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}
_PHONE = re.compile(r"\+?[0-9][0-9 ()/.-]*[0-9]")


@dataclass(frozen=True)
class Settings:
    """The configured values (``None`` where not configured or not valid) and what was wrong."""

    operator_name: str | None = None
    operator_address: str | None = None
    operator_email: str | None = None
    operator_phone: str | None = None
    site_url: str | None = None
    reviewed: dt.date | None = None
    dgs_video: Path | None = None
    dgs_captions: Path | None = None
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def operator_complete(self) -> bool:
        """Name, address and at least one way to write or call: enough for the statement's responsible body."""
        return bool(self.operator_name and self.operator_address and (self.operator_email or self.operator_phone))

    @property
    def dgs_ready(self) -> bool:
        """A DGS video with its captions: only then the pages show it (captions are required, WCAG 1.2.2)."""
        return self.dgs_video is not None and self.dgs_captions is not None


def configured(env: Mapping[str, str] | None = None, secrets: Mapping[str, object] | None = None) -> Settings:
    """The settings from the environment, else from ``[accessibility]`` of ``secrets`` (default: the secrets file).

    Examples
    --------
    >>> s = configured({"SID_ATLAS_OPERATOR_NAME": " Bezirksregierung  Testland ", "SID_ATLAS_OPERATOR_PHONE": "0211 123-0"}, {})
    >>> s.operator_name, s.operator_phone, s.operator_complete, s.problems
    ('Bezirksregierung Testland', '0211 123-0', False, ())
    >>> configured({"SID_ATLAS_SITE_URL": "https://atlas.example.org/"}, {}).problems
    ('$SID_ATLAS_SITE_URL: example.org is a placeholder address (RFC 2606); give the address this site is reached under',)
    """
    env = os.environ if env is None else env
    problems: list[str] = []
    table: Mapping[str, object] = {}
    try:
        table = _table(_read_secrets() if secrets is None else secrets)
    except InputError as error:
        problems.append(str(error))
    values: dict[str, object] = {}
    for name, (variable, key) in SETTINGS.items():
        raw: object = env.get(variable) or None
        where = f"${variable}"
        if raw is None:
            raw, where = table.get(key) or None, f"[{SECTION}] {key}"
        if raw is None:
            continue
        try:
            if not isinstance(raw, str | dt.date):
                raise InputError(f"{where} must be a string")
            values[name] = CHECKS[name](raw, where)
        except InputError as error:
            problems.append(str(error))
    return Settings(**values, problems=tuple(problems))  # type: ignore[arg-type]


def _read_secrets(path: Path = SECRETS_PATH) -> Mapping[str, object]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"cannot read {path}: {error}") from None


def _table(secrets: Mapping[str, object]) -> Mapping[str, object]:
    table = secrets.get(SECTION, {})
    if not isinstance(table, Mapping):
        raise InputError(f"[{SECTION}] must be a table")
    return table


def check_address(value: str, where: str) -> str:
    """A postal address on one line (blanks and line breaks collapsed), printable, at most :data:`MAX_ADDRESS` characters.

    Examples
    --------
    >>> check_address("Musterstraße 1\\n40213 Düsseldorf", "x")
    'Musterstraße 1, 40213 Düsseldorf'
    """
    parts = [" ".join(line.split()) for line in value.splitlines()]
    address = ", ".join(part.rstrip(",") for part in parts if part)
    if not address:
        raise InputError(f"{where}: the address is empty")
    if len(address) > MAX_ADDRESS or any(not ch.isprintable() for ch in address):
        raise InputError(f"{where}: one printable line of at most {MAX_ADDRESS} characters")
    return address


def check_phone(value: str, where: str) -> str:
    """A telephone number as people write it: digits, blanks, + ( ) / . - only.

    Examples
    --------
    >>> check_phone("+49 211 475-0", "x")
    '+49 211 475-0'
    >>> check_phone("call me", "x")
    Traceback (most recent call last):
    ...
    loaders.errors.InputError: x: expected a telephone number such as 0211 475-0
    """
    phone = " ".join(value.split())
    if len(phone) > MAX_PHONE or not _PHONE.fullmatch(phone):
        raise InputError(f"{where}: expected a telephone number such as 0211 475-0")
    return phone


def check_reviewed(value: str | dt.date, where: str) -> dt.date:
    """The day the statement was last reviewed: an ISO date, not in the future.

    Examples
    --------
    >>> check_reviewed("2026-12-08", "x")
    datetime.date(2026, 12, 8)
    """
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{where}: expected a date such as 2026-12-08") from None
    if day > dt.date.today():
        raise InputError(f"{where}: {day.isoformat()} lies in the future")
    return day


def _file(value: str, where: str, suffixes: tuple[str, ...], limit: int) -> Path:
    path = Path(value.strip()).expanduser()
    if path.suffix.lower() not in suffixes:
        raise InputError(f"{where}: expected a {' or '.join(suffixes)} file")
    try:
        size = path.stat().st_size
    except OSError:
        raise InputError(f"{where}: no readable file there") from None
    if not path.is_file() or not os.access(path, os.R_OK):
        raise InputError(f"{where}: no readable file there")
    if size == 0 or size > limit:
        raise InputError(f"{where}: {size} bytes; expected 1 byte to {limit // 1024} KB")
    return path.resolve()


def check_site(value: str, where: str) -> str:
    """The address the statement covers: an absolute http(s) address, not a placeholder such as example.org."""
    try:
        return check_url(value, where)
    except InputError as error:
        raise InputError(
            str(error).replace("the package will be published under", "this site is reached under")
        ) from None


def check_video(value: str, where: str) -> Path:
    """A DGS video of ours: an MP4 or WebM file of at most :data:`MAX_VIDEO_MB` MB on this server."""
    return _file(value, where, tuple(VIDEO_TYPES), MAX_VIDEO_MB * 1024 * 1024)


def check_captions(value: str, where: str) -> Path:
    """The video's captions as WebVTT (``WEBVTT`` first), at most :data:`MAX_CAPTIONS_KB` KB."""
    path = _file(value, where, (".vtt",), MAX_CAPTIONS_KB * 1024)
    with open(path, "rb") as handle:
        if not handle.read(16).lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
            raise InputError(f"{where}: not a WebVTT file (it must begin with WEBVTT)")
    return path


CHECKS: dict[str, Callable[[Any, str], Any]] = {
    "operator_name": lambda value, where: check_name(value, where),
    "operator_address": check_address,
    "operator_email": lambda value, where: check_email(value, where),
    "operator_phone": check_phone,
    "site_url": check_site,
    "reviewed": check_reviewed,
    "dgs_video": check_video,
    "dgs_captions": check_captions,
}


# -- the statement's text -------------------------------------------------------------------------
#: The statement's and the Leichte-Sprache page's texts and the list of known failures: package data of :mod:`dashboard`.
TEXTS = Path(__file__).resolve().parent / "texts"
FAILURES = TEXTS / "barrierefreiheit.maengel.toml"
AREAS = ("map", "charts", "controls", "tables", "language", "exports", "pages")
AREA_WORDS = {
    "map": ("Karte", "Map"),
    "charts": ("Verlaufsdiagramme", "Timeline charts"),
    "controls": ("Bedienung", "Controls"),
    "tables": ("Tabellen", "Tables"),
    "language": ("Sprache", "Language"),
    "exports": ("Exporte", "Exports"),
    "pages": ("Seiten", "Pages"),
}
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
_SENTENCE_GAP = re.compile(r"(?<=[.?!]) (?=\S)")


@dataclass(frozen=True)
class Failure:
    """One known failure (:data:`FAILURES`): where, which criteria, whether it is still open, in both languages."""

    id: str
    area: str
    wcag: tuple[str, ...]
    status: str
    fixed_by: str
    text: tuple[str, str]
    alternative: tuple[str, str] | None
    easy: str | None = None  # the essentials in Leichter Sprache (the page /leichte-sprache)

    def words(self, lang: str) -> tuple[str, str | None]:
        """The shortcoming's text and its alternative (None: none) in ``lang``."""
        pick = 1 if lang == "en" else 0
        return self.text[pick], None if self.alternative is None else self.alternative[pick]


def failures(path: Path = FAILURES) -> list[Failure]:
    """Every entry of the failures file, in its order; :class:`InputError` for an entry that is incomplete."""
    with open(path, "rb") as handle:
        entries = tomllib.load(handle).get("failure", [])
    out = []
    for entry in entries:
        missing = [key for key in ("id", "area", "wcag", "status", "fixed_by", "de", "en") if not entry.get(key)]
        if missing or entry["area"] not in AREAS or entry["status"] not in ("open", "fixed"):
            raise InputError(f"{path.name}: entry {entry.get('id')!r} is incomplete or wrong: {missing or entry}")
        alternative = (entry["alternative_de"], entry["alternative_en"]) if "alternative_de" in entry else None
        out.append(
            Failure(
                entry["id"],
                entry["area"],
                tuple(entry["wcag"]),
                entry["status"],
                entry["fixed_by"],
                (" ".join(entry["de"].split()), " ".join(entry["en"].split())),
                None if alternative is None else tuple(" ".join(a.split()) for a in alternative),  # type: ignore[arg-type]
                entry.get("easy"),
            )
        )
    return out


def open_failures(settings: Settings | None = None, entries: list[Failure] | None = None) -> list[Failure]:
    """The entries still open here: "open" in the file, less the DGS video where this deployment has one."""
    entries = failures() if entries is None else entries
    resolved = {"dgs-video"} if settings is not None and settings.dgs_ready else set()
    return [f for f in entries if f.status == "open" and f.id not in resolved]


def failures_markdown(lang: str, entries: list[Failure] | None = None) -> str:
    """The open failures as Markdown: a bold area, then one item per failure with its criteria and alternative.

    Examples
    --------
    >>> entry = Failure("x", "map", ("1.1.1",), "open", "remains", ("Die Karte ist ein Bild.", "The map is a picture."), None)
    >>> print(failures_markdown("en", [entry, entry.__class__(**{**entry.__dict__, "status": "fixed"})]))
    ### Map
    <BLANKLINE>
    - The map is a picture. (WCAG 1.1.1)
    """
    entries = open_failures() if entries is None else [f for f in entries if f.status == "open"]
    pick = 1 if lang == "en" else 0
    blocks = []
    for area in AREAS:
        items = [f for f in entries if f.area == area]
        if not items:
            continue
        lines = [f"### {AREA_WORDS[area][pick]}", ""]
        for item in items:
            text, alternative = item.words(lang)
            criteria = ", ".join(item.wcag)
            prefix = "" if criteria.startswith(("BITV", "PDF", "all")) else "WCAG "
            criteria = {"all": "alle Kriterien" if lang == "de" else "all criteria"}.get(criteria, criteria)
            line = f"- {text} ({prefix}{criteria})"
            if alternative:
                line += f"  \n  {'Alternative' if lang == 'de' else 'Alternative'}: {alternative}"
            lines.append(line)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def statement_template(lang: str) -> tuple[dt.date | None, str]:
    """The statement's template in ``lang``: the review date of its head and its text without head and comments."""
    text = (TEXTS / f"barrierefreiheit.{lang}.md").read_text(encoding="utf-8")
    reviewed = None
    if text.startswith("---\n"):
        head, text = text[4:].split("\n---\n", 1)
        for line in head.splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "reviewed":
                reviewed = dt.date.fromisoformat(value.strip())
    return reviewed, _COMMENT.sub("", text)


def split_template(text: str) -> list[tuple[str, str]]:
    """The template as ("text", markdown) and ("slot", name) pieces, in order.

    Examples
    --------
    >>> split_template("a {{scope}} b")
    [('text', 'a '), ('slot', 'scope'), ('text', ' b')]
    """
    pieces: list[tuple[str, str]] = []
    at = 0
    for match in _PLACEHOLDER.finditer(text):
        if match.start() > at:
            pieces.append(("text", text[at : match.start()]))
        pieces.append(("slot", match.group(1)))
        at = match.end()
    if at < len(text):
        pieces.append(("text", text[at:]))
    return pieces


def _link(url: str) -> str:
    """An address for a Markdown link's target: parentheses and blanks percent-encoded."""
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def scope_markdown(settings: Settings, lang: str) -> str:
    """Who is responsible and which address the statement covers, or plainly that it is not configured."""
    from dashboard.notices import plain

    de = lang != "en"
    site = (
        f"[{plain(settings.site_url)}]({_link(settings.site_url)})"
        if settings.site_url
        else ("**Adresse nicht konfiguriert**" if de else "**address not configured**")
    )
    if settings.operator_name:
        body = plain(settings.operator_name)
    else:
        body = "**verantwortliche Stelle nicht konfiguriert**" if de else "**responsible body not configured**"
    if de:
        text = (
            f"Diese Erklärung gilt für den Abdeckungsatlas des Präventionsnetzwerks #sicherimDienst unter {site}. "
            f"Verantwortlich ist: {body}."
        )
    else:
        text = (
            f"This statement applies to the coverage atlas of the #sicherimDienst prevention network at {site}. "
            f"The body responsible is: {body}."
        )
    if not (settings.operator_name and settings.site_url):
        text += " " + (
            "(Der Betrieb trägt sie mit SID_ATLAS_OPERATOR_NAME und SID_ATLAS_SITE_URL oder im Abschnitt "
            "„accessibility“ der Datei „.streamlit/secrets.toml“ ein.)"
            if de
            else "(Operations set them with SID_ATLAS_OPERATOR_NAME and SID_ATLAS_SITE_URL or in the section "
            "“accessibility” of “.streamlit/secrets.toml”.)"
        )
    return text


def contact_markdown(settings: Settings, lang: str) -> str:
    """The responsible body's contacts besides the form: address, e-mail, telephone — or that none is configured."""
    from dashboard.notices import plain

    de = lang != "en"
    rows = []
    if settings.operator_address:
        rows.append(f"- {'Post' if de else 'Post'}: {plain(settings.operator_address)}")
    if settings.operator_email:
        rows.append(f"- E-Mail: [{plain(settings.operator_email)}](mailto:{_link(settings.operator_email)})")
    if settings.operator_phone:
        rows.append(f"- {'Telefon' if de else 'Telephone'}: {plain(settings.operator_phone)}")
    if not rows:
        return (
            "**Weitere Kontaktwege: nicht konfiguriert.** Der Betrieb trägt Anschrift, E-Mail und Telefon der "
            "verantwortlichen Stelle mit SID_ATLAS_OPERATOR_ADDRESS, SID_ATLAS_OPERATOR_EMAIL und "
            "SID_ATLAS_OPERATOR_PHONE ein (oder im Abschnitt „accessibility“ der Datei „.streamlit/secrets.toml“)."
            if de
            else "**Other ways to reach us: not configured.** Operations set the responsible body's address, "
            "e-mail and telephone with SID_ATLAS_OPERATOR_ADDRESS, SID_ATLAS_OPERATOR_EMAIL and "
            "SID_ATLAS_OPERATOR_PHONE (or in the section “accessibility” of “.streamlit/secrets.toml”)."
        )
    intro = "Sie erreichen die verantwortliche Stelle auch so:" if de else "You can also reach the responsible body:"
    return intro + "\n\n" + "\n".join(rows)


def reviewed_words(settings: Settings, template_day: dt.date | None, lang: str) -> str:
    """The day of the last review: the configured one, else the template's; said plainly when neither exists."""
    from viewmodel.i18n import format_date

    day = settings.reviewed or template_day
    if day is None:
        return "nicht angegeben" if lang != "en" else "not given"
    return format_date(day, lang)


# -- the page in Leichter Sprache -----------------------------------------------------------------
def easy_template() -> str:
    """The text of the page „Leichte Sprache“ (German only) without its comments."""
    return _COMMENT.sub("", (TEXTS / "leichte-sprache.de.md").read_text(encoding="utf-8"))


def line_by_line(markdown: str) -> str:
    r"""Markdown whose every line stays a line on screen (Leichte Sprache: one sentence, one line).

    Examples
    --------
    >>> line_by_line("Erster Satz.\nZweiter Satz.\n\n- Punkt\n  mehr")
    'Erster Satz.  \nZweiter Satz.\n\n- Punkt  \n  mehr'
    """
    return re.sub(r"(?<=\S)\n(?=[^\n])", "  \n", markdown)


def easy_barriers_markdown(entries: list[Failure] | None = None) -> str:
    """The open failures that have words in Leichter Sprache, one item each.

    Examples
    --------
    >>> entry = Failure("x", "map", ("1.1.1",), "open", "remains", ("", ""), None, "Die Karte ist ein Bild.")
    >>> easy_barriers_markdown([entry, Failure("y", "map", (), "fixed", "", ("", ""), None, "Behoben.")])
    '- Die Karte ist ein Bild.'
    """
    entries = open_failures() if entries is None else entries
    # One sentence, one line: an entry's sentences stay in its list item.
    items = [_SENTENCE_GAP.sub("\n  ", f.easy) for f in entries if f.status == "open" and f.easy]
    return "\n".join(f"- {item}" for item in items)


def easy_contact_markdown(settings: Settings) -> str:
    """The responsible body's contacts in Leichter Sprache, or plainly that they are missing."""
    from dashboard.notices import plain

    rows = []
    if settings.operator_email:
        rows.append(f"- E-Mail: [{plain(settings.operator_email)}](mailto:{_link(settings.operator_email)})")
    if settings.operator_phone:
        rows.append(f"- Telefon: {plain(settings.operator_phone)}")
    if settings.operator_address:
        rows.append(f"- Brief: {plain(settings.operator_address)}")
    if not rows:
        return "Eine E-Mail·adresse und eine Telefon·nummer sind hier noch nicht eingetragen."
    who = f" an: {plain(settings.operator_name)}" if settings.operator_name else ""
    return f"Sie können uns auch schreiben oder anrufen{who}.\n\n" + "\n".join(rows)


# Said on the page „Leichte Sprache“ in place of the DGS video, or beside it (German only, as the page).
DGS_MISSING = (
    "Hier ist der Platz für ein Video in Deutscher Gebärden·sprache.\n"
    "Die Abkürzung ist: DGS.\n\n"
    "Das Video fehlt noch.\n"
    "Der Inhalt von dem Video steht auf dieser Seite als Text."
)
DGS_READY = (
    "Das Video erklärt die Seite in Deutscher Gebärden·sprache.\n"
    "Die Abkürzung ist: DGS.\n\n"
    "- Das Video startet erst, wenn Sie auf Abspielen drücken.\n"
    "- Das Video hat Unter·titel.\n"
    "- Sie können das Video auch mit der Tastatur bedienen.\n"
    "- Der Inhalt von dem Video steht auf dieser Seite auch als Text."
)
