"""Every address the product writes: pages, views, the embed, sign-in — one builder, one base path.

The atlas may be served below a path prefix (Streamlit's ``server.baseUrlPath``,
e.g. ``/atlas``): then every link, form action, redirect, cookie path and route
must carry it, or a link leads out of the atlas and the feedback report names a
page that is not the one the person saw. :func:`base_path` reads the setting
once per process; every function here takes ``base`` for tests and callers that
know it. The paths of the pages are declared here too (``dashboard.navigation``
gives them to ``st.navigation``; the web server redirects to the register), so a
page's address is written in one place.

Imports nothing heavy (no Streamlit until :func:`base_path` is first asked),
so the web server's middleware and the data-file routes can use it.

>>> page(REGISTER_PAGE, base="/atlas"), page(EASY_PAGE, "en", base="")
('/atlas/register', '/leichte-sprache?lang=en')
>>> atlas({"date": "2024-02-01", "region": "057"}, base="/atlas")
'/atlas/?date=2024-02-01&region=057'
>>> absolute("/atlas/?iframe=1", "https://atlas.example/atlas/?date=2024-02-01")
'https://atlas.example/atlas/?iframe=1'
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

if TYPE_CHECKING:
    from loaders.viewstate import ViewState

# The pages' URL paths below the base ("" is the atlas at ``/``); st.Page's url_path.
ATLAS_PAGE = ""
REGISTER_PAGE = "register"
STATEMENT_PAGE = "barrierefreiheit"
# BITV NRW § 17 (2): the start page's explanations in Leichter Sprache.
EASY_PAGE = "leichte-sprache"
# The sign-in form, a route of the web server of its own (not a Streamlit page).
SIGNIN_PATH = "/_sid/anmelden"


@functools.cache
def base_path() -> str:
    """Streamlit's ``server.baseUrlPath`` as a path prefix: ``"/atlas"``, or ``""`` at the root; read once."""
    from streamlit import config

    return normalised(config.get_option("server.baseUrlPath"))


def normalised(base_url_path: str | None) -> str:
    """A ``server.baseUrlPath`` value as a prefix: one leading slash, none at the end.

    >>> normalised("atlas/"), normalised("/a/b"), normalised(""), normalised(None)
    ('/atlas', '/a/b', '', '')
    """
    stripped = (base_url_path or "").strip("/")
    return f"/{stripped}" if stripped else ""


def path(rel: str, params: Mapping[str, str] | None = None, *, base: str | None = None) -> str:
    """``rel`` (a path from ``/``) below the base, with ``params`` as its query.

    >>> path("/_sid/daten/x.json", base="/atlas"), path("/", {"a": "b c"}, base="")
    ('/atlas/_sid/daten/x.json', '/?a=b+c')
    """
    query = "?" + urlencode(dict(params)) if params else ""
    return (base_path() if base is None else base) + rel + query


def page(url_path: str, lang: str = "de", params: Mapping[str, str] | None = None, *, base: str | None = None) -> str:
    """The address of a page (one of the ``*_PAGE`` paths) in ``lang`` (German needs no parameter)."""
    query = dict(params or {})
    if lang != "de":
        query["lang"] = lang
    return path("/" + url_path, query, base=base)


def atlas(params: Mapping[str, str], *, base: str | None = None) -> str:
    """The atlas page with ``params`` (a view's, an embed's)."""
    return page(ATLAS_PAGE, params=params, base=base)


def view_address(state: ViewState, *, base: str | None = None) -> str:
    """The atlas showing ``state``: the address a feedback report names and the embed's link back.

    >>> import datetime as dt
    >>> from loaders.viewstate import ViewState
    >>> view_address(ViewState(dt.date(2024, 2, 1), region="057"), base="")
    '/?date=2024-02-01&region=057'
    """
    return atlas(state.to_params(), base=base)


def signin(*, base: str | None = None) -> str:
    """The sign-in form (GET) and where it posts to."""
    return path(SIGNIN_PATH, base=base)


def absolute(address: str, page_url: str | None) -> str:
    """``address`` (from this module) with the scheme and host of ``page_url``, the page as the browser sent it.

    Another site's page needs the full address (an iframe's ``src``); without a
    usable ``page_url`` the address stays relative.

    >>> absolute("/atlas/?iframe=1", None), absolute("/?iframe=1", "not a url")
    ('/atlas/?iframe=1', '/?iframe=1')
    """
    parts = urlsplit(page_url or "")
    if not parts.scheme or not parts.netloc:
        return address
    return f"{parts.scheme}://{parts.netloc}{address}"
