"""Every address the product writes, with and without Streamlit's ``server.baseUrlPath`` (:mod:`dashboard.urls`)."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit import config

from dashboard import navigation, urls, webserver
from loaders.viewstate import ViewState

VIEW = ViewState(dt.date(2024, 2, 1), region="057", lang="en")


@pytest.fixture
def base_url_path():
    """Set ``server.baseUrlPath`` for one test; the builder reads it anew (it reads it once per process)."""
    before = config.get_option("server.baseUrlPath")

    def set_to(value: str) -> None:
        config.set_option("server.baseUrlPath", value)
        urls.base_path.cache_clear()

    yield set_to
    set_to(before)


@pytest.mark.parametrize(("setting", "base"), [("", ""), ("atlas", "/atlas"), ("/atlas/", "/atlas"), ("a/b", "/a/b")])
def test_every_link_carries_the_base_path(base_url_path, setting, base):
    base_url_path(setting)
    assert urls.base_path() == base
    assert urls.view_address(VIEW) == f"{base}/?date=2024-02-01&region=057&lang=en"
    assert urls.page(urls.EASY_PAGE, "en") == f"{base}/leichte-sprache?lang=en"
    assert urls.page(urls.STATEMENT_PAGE) == f"{base}/barrierefreiheit"
    assert urls.page(urls.REGISTER_PAGE) == f"{base}/register"
    assert urls.signin() == f"{base}/_sid/anmelden"
    assert urls.atlas({"iframe": "1"}) == f"{base}/?iframe=1"
    # The sign-in form's action and links, and the data files, from the same builder.
    form = webserver.signin_form(urls.base_path())
    assert f'action="{base}/_sid/anmelden"' in form and f'href="{base}/register"' in form
    assert f'href="{base}/leichte-sprache"' in form
    from dashboard import datafiles

    assert datafiles.url_of("x.json") == f"{base}/_sid/daten/x.json"


def test_the_base_path_is_read_once(base_url_path, monkeypatch):
    base_url_path("atlas")
    asked = []
    monkeypatch.setattr(config, "get_option", lambda name: asked.append(name) or "atlas")
    urls.base_path.cache_clear()
    assert [urls.base_path() for _ in range(3)] == ["/atlas"] * 3 and asked == ["server.baseUrlPath"]


def test_an_iframe_gets_the_host_of_the_page_and_the_path_of_the_builder():
    address = urls.atlas({"iframe": "1", "region": "057"}, base="/atlas")
    assert urls.absolute(address, "https://atlas.example/atlas/?date=2024-02-01") == (
        "https://atlas.example/atlas/?iframe=1&region=057"
    )
    # No page address (a test, an old Streamlit) or a broken one: the link stays relative, never wrong.
    assert urls.absolute(address, None) == urls.absolute(address, "atlas.example") == "/atlas/?iframe=1&region=057"


def test_values_are_encoded_not_spliced():
    assert urls.atlas({"region": "057&lang=en"}, base="") == "/?region=057%26lang%3Den"


def test_the_pages_are_declared_with_the_builders_paths():
    assert [spec.url_path for spec in navigation.PAGES] == [
        urls.ATLAS_PAGE,
        urls.REGISTER_PAGE,
        urls.STATEMENT_PAGE,
        urls.EASY_PAGE,
    ]
    assert webserver.SIGNIN_PATH == urls.SIGNIN_PATH
