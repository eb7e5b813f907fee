"""The standalone HTML map and the growth animations (GIF, MP4), opened with real readers.

Opening the HTML file in Chromium, offline, is in ``tests/browser/test_browser.py``, which
owns the one Playwright session a test run may have.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from PIL import Image

from exports import animation, standalone, style
from exports.dispatch import export
from loaders.errors import InputError
from loaders.paths import PROJECT_ROOT
from loaders.viewstate import ViewState
from tests.helpers import shipped_accessions_with, sid_atlas
from webparts import components

pytestmark = pytest.mark.media

DETMOLD_DAY = dt.date(2024, 2, 1)
HOSTILE = "<script>alert(1)</script>"


def run(*args):
    return sid_atlas(*args, cwd=PROJECT_ROOT)


@pytest.fixture(scope="module")
def hostile_members(tmp_path_factory):
    """The shipped accessions with Düsseldorf's own row named and sourced by a script tag."""
    return shipped_accessions_with(tmp_path_factory.mktemp("members"), "05111000", name=HOSTILE, source=HOSTILE)


@pytest.fixture(scope="module")
def hostile_html(hostile_members, tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "karte.html"
    result = run(
        "export",
        "--date",
        "2024-02-01",
        "--compare",
        "2024-01-31",
        "--members",
        str(hostile_members),
        "--title",
        "Karte & <Test>",
        "--format",
        "html",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    return out


# -- HTML ----------------------------------------------------------------------------------
def test_html_loads_nothing_from_the_network(hostile_html):
    text = hostile_html.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]*\b(src|href)\s*=", text, re.IGNORECASE)
    assert not re.search(r"url\(\s*['\"]?https?://", text)
    # Leaflet and topojson-client; the map's arguments (data, not code); map.js with the call that mounts it.
    assert text.count("<script>") == 2 and text.count('<script type="module">') == 1
    assert text.count('<script type="application/json" id="sid-map-data">') == 1
    assert len(re.findall(r"<script\b", text)) == 4


def test_html_escapes_a_hostile_member_name_and_the_title(hostile_html):
    text = hostile_html.read_text(encoding="utf-8")
    assert HOSTILE not in text
    assert html.escape(HOSTILE) in text.replace("<\\/", "</")  # inside the tooltip, as text
    assert "<h1>Karte &amp; &lt;Test&gt;</h1>" in text


def test_html_is_deterministic(coverage):
    view = ViewState(DETMOLD_DAY, region="057")
    assert export(coverage, view, "html") == export(coverage, view, "html")


def test_html_without_leaflet_is_a_clear_error(coverage, monkeypatch, tmp_path):
    monkeypatch.setattr(components, "VENDOR", (tmp_path / "missing" / "leaflet.js",))
    with pytest.raises(standalone.MissingLeaflet, match="make install"):
        export(coverage, ViewState(DETMOLD_DAY), "html")


# -- animations ----------------------------------------------------------------------------
def test_gif_has_one_frame_per_month_with_the_preset_size(coverage):
    view = ViewState(dt.date(2024, 3, 1), region="057")
    data = export(coverage, view, "gif", preset="square", start=dt.date(2023, 10, 15))
    image = Image.open(io.BytesIO(data))
    # 15 Oct, 1 Nov, 1 Dec, 1 Jan, 1 Feb, 1 Mar
    assert image.format == "GIF" and image.n_frames == 6 and image.size == (1080, 1080)
    assert image.info["loop"] == 0
    image.seek(4)
    (PROJECT_ROOT / "artifacts").mkdir(exist_ok=True)
    image.convert("RGB").save(PROJECT_ROOT / "artifacts" / "export-gif-frame.png")
    assert data == export(coverage, view, "gif", preset="square", start=dt.date(2023, 10, 15))


def test_event_steps_follow_the_coverage_changes(coverage):
    changes = [day for day in coverage.change_dates() if dt.date(2022, 1, 1) < day < dt.date(2024, 6, 1)]
    days = animation.frame_days(dt.date(2022, 1, 1), dt.date(2024, 6, 1), "event", coverage.change_dates())
    assert days == [dt.date(2022, 1, 1), *changes, dt.date(2024, 6, 1)]
    assert DETMOLD_DAY in days


def test_cli_gif_matches_the_module_and_mp4_plays(coverage, tmp_path):
    gif = tmp_path / "wachstum.gif"
    result = run(
        "export",
        "--from",
        "2024-01-01",
        "--to",
        "2024-02-01",
        "--region",
        "057",
        "--preset",
        "square",
        "--format",
        "gif",
        "--out",
        str(gif),
    )
    assert result.returncode == 0, result.stderr
    view = ViewState(DETMOLD_DAY, region="057")
    assert gif.read_bytes() == export(coverage, view, "gif", preset="square", start=dt.date(2024, 1, 1))
    mp4 = export(coverage, view, "mp4", preset="square", start=dt.date(2024, 1, 1))
    assert mp4[4:8] == b"ftyp" and mp4 == export(coverage, view, "mp4", preset="square", start=dt.date(2024, 1, 1))


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2024-01-01", "--format", "png", "--date", "2024-02-01"], "use --format gif or mp4"),
        (["--format", "gif", "--date", "2024-02-01"], "needs --from"),
        (["--format", "gif", "--from", "2024-03-01", "--to", "2024-02-01"], "must lie before --to"),
        (
            ["--format", "mp4", "--from", "2024-01-01", "--to", "2024-02-01", "--compare", "2023-01-01"],
            "not used by an animation",
        ),
        (["--format", "png"], "needs --date"),
    ],
)
def test_cli_animation_options_are_checked(tmp_path, args, message):
    out = tmp_path / "out.bin"
    result = run("export", *args, "--out", str(out))
    assert result.returncode == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not out.exists()


def test_too_many_frames_is_refused(coverage):
    with pytest.raises(InputError, match="at most"):
        animation.frames(
            coverage, ViewState(dt.date(2040, 1, 1)), dt.date(2022, 1, 1), style.PRESETS["square"], None, "month"
        )
