"""Who publishes the open-data package, and where: publisher, contact point and base address.

A package fit to publish names its publisher (``dct:publisher``), a contact
point (``dcat:contactPoint``) and the web address its files will be
published under (every IRI of its DCAT metadata). None of it is known to the
atlas, so it comes from configuration, each value from the first place that
has it:

1. the flags of ``sid-atlas export`` (``--publisher-name``, ``--publisher-url``,
   ``--contact-email``, ``--base-url``);
2. the environment (``$SID_ATLAS_PUBLISHER_NAME``, ``$SID_ATLAS_PUBLISHER_URL``,
   ``$SID_ATLAS_CONTACT_EMAIL``, ``$SID_ATLAS_BASE_URL``);
3. the ``[publisher]`` table of ``.streamlit/secrets.toml`` (``name``, ``url``,
   ``contact_email``, ``base_url``) — the project's one settings file, read the
   same way as the register's ``[connections.register]``.

Every value is checked (length, scheme, characters an IRI or a Turtle string
cannot hold, an address that is a placeholder by RFC 2606/6761 such as
``example.org``): a bad value is one :class:`~loaders.errors.InputError`, never
a package with a broken or made-up address in it.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from loaders.errors import InputError
from register.config import SECRETS_PATH

SECTION = "publisher"
# field -> (flag, environment variable, key in [publisher])
SETTINGS = {
    "name": ("--publisher-name", "SID_ATLAS_PUBLISHER_NAME", "name"),
    "url": ("--publisher-url", "SID_ATLAS_PUBLISHER_URL", "url"),
    "email": ("--contact-email", "SID_ATLAS_CONTACT_EMAIL", "contact_email"),
    "base_url": ("--base-url", "SID_ATLAS_BASE_URL", "base_url"),
}
# What each setting is, in words (German, English): for a draft's "missing" line and the app's notice.
SETTING_WORDS = {
    "name": ("Herausgeber", "publisher"),
    "url": ("Webseite des Herausgebers", "publisher's website"),
    "email": ("Kontakt", "contact"),
    "base_url": ("Adresse der Dateien", "address of the files"),
}
MAX_NAME = 200
MAX_URL = 500
MAX_EMAIL = 254
# Names reserved for examples and tests (RFC 2606, RFC 6761): never an address to publish under.
_RESERVED_DOMAINS = ("example.org", "example.com", "example.net")
_RESERVED_TLDS = ("example", "test", "invalid", "localhost", "local")
# Characters an IRI in Turtle (<…>) must not contain, besides whitespace and controls.
_IRI_FORBIDDEN = set('<>"{}|\\^`')
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")


@dataclass(frozen=True)
class Publisher:
    """Publisher, contact point and base address of the package; ``None`` where not configured.

    Examples
    --------
    >>> p = Publisher(name="Testbehörde NRW", email="daten@testbehoerde.nrw")
    >>> p.complete, p.missing()
    (False, ['--publisher-url', '--base-url'])
    """

    name: str | None = None
    url: str | None = None
    email: str | None = None
    base_url: str | None = None

    @property
    def complete(self) -> bool:
        """Whether every field the metadata needs is set."""
        return not self.missing()

    def missing(self) -> list[str]:
        """The flags of the values not configured, in the order of :data:`SETTINGS`."""
        return [SETTINGS[name][0] for name in self.missing_fields()]

    def missing_fields(self) -> list[str]:
        """The names of the fields not set."""
        return [f.name for f in fields(self) if getattr(self, f.name) is None]

    def missing_words(self, lang: str) -> str:
        """What is missing, in words of ``lang`` (:data:`SETTING_WORDS`).

        Examples
        --------
        >>> Publisher(name="Testbehörde NRW").missing_words("en")
        "publisher's website, contact, address of the files"
        """
        return ", ".join(SETTING_WORDS[name][0 if lang == "de" else 1] for name in self.missing_fields())


def configured(
    explicit: Mapping[str, str | None] | None = None,
    env: Mapping[str, str] | None = None,
    secrets_path: Path | None = None,
    secrets: Mapping[str, object] | None = None,
) -> Publisher:
    """The publisher as configured: ``explicit`` values (the flags), else the environment, else the secrets file.

    Parameters
    ----------
    explicit : mapping, optional
        Field name (``name``, ``url``, ``email``, ``base_url``) to a value given on the command line.
    env : mapping, optional
        The environment (default ``os.environ``).
    secrets_path : path-like, optional
        Streamlit's secrets file (default :data:`SECRETS_PATH`); its ``[publisher]`` table is read last.
    secrets : mapping, optional
        The secrets as already read (the app's ``st.secrets``, which also honours
        ``STREAMLIT_SECRETS_FILES``); then ``secrets_path`` is not read.

    Raises
    ------
    InputError
        A value is malformed, or the secrets file is unreadable.

    Examples
    --------
    >>> p = configured({"name": " Testbehörde  NRW ", "base_url": "https://daten.testbehoerde.nrw/atlas"}, env={})
    >>> p.name, p.base_url
    ('Testbehörde NRW', 'https://daten.testbehoerde.nrw/atlas/')
    >>> configured({"base_url": "https://example.org/"}, env={})
    Traceback (most recent call last):
    ...
    loaders.errors.InputError: --base-url: example.org is a placeholder address (RFC 2606); give the address the package will be published under
    """
    explicit = explicit or {}
    env = os.environ if env is None else env
    secrets_path = SECRETS_PATH if secrets_path is None else secrets_path
    table: Mapping[str, object] | None = None if secrets is None else _table(secrets, "the secrets")
    values: dict[str, str | None] = {}
    for field, (flag, variable, key) in SETTINGS.items():
        # Each value is checked under the name it was given by, so the error points at the right place.
        # A flag given empty is a mistake to report; an empty variable counts as unset.
        value, where = explicit.get(field), flag
        if value is None:
            value, where = env.get(variable) or None, f"${variable}"
        if value is None:
            if table is None:
                table = _secrets_table(secrets_path)
            raw = table.get(key)
            where = f"[{SECTION}] {key}"
            if raw is not None and not isinstance(raw, str):
                raise InputError(f"{where} must be a string")
            value = raw or None
        values[field] = None if value is None else CHECKS[field](value, where)
    return Publisher(**values)


def _secrets_table(path: Path) -> Mapping[str, object]:
    try:
        with open(path, "rb") as handle:
            secrets = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"cannot read {path}: {error}") from None
    return _table(secrets, str(path))


def _table(secrets: Mapping[str, object], where: str) -> Mapping[str, object]:
    table = secrets.get(SECTION, {})
    if not isinstance(table, Mapping):
        raise InputError(f"{where}: [{SECTION}] must be a table (name, url, contact_email, base_url)")
    return table


def check_name(value: str, flag: str = "--publisher-name") -> str:
    """A publisher's name: one line of printable text, blanks collapsed, at most :data:`MAX_NAME` characters."""
    name = " ".join(value.split())
    if not name:
        raise InputError(f"{flag}: the name is empty")
    if len(name) > MAX_NAME:
        raise InputError(f"{flag}: at most {MAX_NAME} characters, not {len(name)}")
    if any(not ch.isprintable() for ch in name):
        raise InputError(f"{flag}: the name contains control characters")
    return name


def check_url(value: str, flag: str = "--publisher-url") -> str:
    """An absolute http(s) address without credentials, usable as an IRI; not a placeholder domain.

    Examples
    --------
    >>> check_url("https://www.testbehoerde.nrw/")
    'https://www.testbehoerde.nrw/'
    >>> check_url("javascript:alert(1)")
    Traceback (most recent call last):
    ...
    loaders.errors.InputError: --publisher-url: expected an address starting with https:// or http://, not 'javascript:alert(1)'
    """
    url = value.strip()
    shown = url[:60]
    if len(url) > MAX_URL:
        raise InputError(f"{flag}: at most {MAX_URL} characters, not {len(url)}")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError(f"{flag}: expected an address starting with https:// or http://, not {shown!r}")
    if any(ch.isspace() or not ch.isprintable() or ch in _IRI_FORBIDDEN for ch in url):
        raise InputError(f"{flag}: the address contains spaces or characters an address cannot hold: {shown!r}")
    if parts.username or parts.password:
        raise InputError(f"{flag}: the address must not contain a user name or password")
    _check_domain(parts.hostname, flag)
    return url


def check_base_url(value: str, flag: str = "--base-url") -> str:
    """The folder the package's files will be published under: an address ending in ``/``, no query or fragment.

    Examples
    --------
    >>> check_base_url("https://daten.testbehoerde.nrw/sicherimdienst")
    'https://daten.testbehoerde.nrw/sicherimdienst/'
    """
    url = check_url(value, flag)
    parts = urlsplit(url)
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise InputError(f"{flag}: a folder address without ?query or #fragment, not {url[:60]!r}")
    return url if url.endswith("/") else url + "/"


def check_email(value: str, flag: str = "--contact-email") -> str:
    """A contact address ``name@domain.tld`` (ASCII), not at a placeholder domain.

    Examples
    --------
    >>> check_email("daten@testbehoerde.nrw")
    'daten@testbehoerde.nrw'
    >>> check_email("daten@example.org")
    Traceback (most recent call last):
    ...
    loaders.errors.InputError: --contact-email: example.org is a placeholder address (RFC 2606); give the address the package will be published under
    """
    email = value.strip()
    if len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email):
        raise InputError(f"{flag}: expected an e-mail address such as name@behoerde.nrw, not {email[:60]!r}")
    _check_domain(email.rsplit("@", 1)[1], flag)
    return email


def _check_domain(host: str, flag: str) -> None:
    host = host.lower().rstrip(".")
    reserved = next((d for d in _RESERVED_DOMAINS if host == d or host.endswith("." + d)), None)
    if reserved is None and host.rsplit(".", 1)[-1] in _RESERVED_TLDS:
        reserved = host
    if reserved:
        raise InputError(
            f"{flag}: {reserved} is a placeholder address (RFC 2606); "
            "give the address the package will be published under"
        )


CHECKS = {"name": check_name, "url": check_url, "email": check_email, "base_url": check_base_url}


def missing_message(publisher: Publisher) -> str:
    """The one line ``sid-atlas export --format datapackage`` refuses with when the publisher is incomplete.

    Examples
    --------
    >>> missing_message(Publisher(name="Testbehörde NRW"))  # doctest: +ELLIPSIS
    'the open-data package needs its publisher: give --publisher-url, --contact-email, --base-url (or ...'
    """
    variables = ", ".join(f"${SETTINGS[f][1]}" for f in SETTINGS)
    return (
        f"the open-data package needs its publisher: give {', '.join(publisher.missing())} "
        f"(or {variables}, or [{SECTION}] in .streamlit/secrets.toml), or --draft for a package marked as a draft"
    )
