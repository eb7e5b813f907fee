"""The dashboard's widget logic, run headless with ``streamlit.testing.v1.AppTest``."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from loaders import provenance
from register import atlasdata
from tests import helpers
from tests.helpers import app_tables
from viewmodel.credits import credit_line, credit_markdown
from viewmodel.i18n import format_date
from viewmodel.text import version_text

APP = str(helpers.APP)
D = dt.date


def run(**params) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def url(app: AppTest) -> dict:
    return {
        name: app.query_params[name][0] if isinstance(app.query_params[name], list) else app.query_params[name]
        for name in app.query_params
    }


@pytest.fixture(scope="module")
def detmold() -> AppTest:
    return run(date="2024-02-01", region="057")


def test_default_load_shows_today_for_all_nrw():
    app = run()
    assert app.title[0].value.startswith("#sicherimDienst")
    assert app.caption[0].value == f"Stand: {format_date(dt.date.today())} · Nordrhein-Westfalen"
    assert metric(app, "Gemeinden abgedeckt") == "396 von 396 (100,0 %)"
    assert metric(app, "Kreise im Netzwerk") == "52 von 53"
    assert not app.warning
    assert url(app) == {"date": dt.date.today().isoformat()}
    # The credits, each with its licence, the mandatory BKG credit first (viewmodel.credits), and the data version.
    version = version_text(provenance.data_version(atlasdata.load_coverage()))
    assert any(c.value == f"Daten: {credit_markdown()} · {version}" for c in app.caption)
    assert "dl-de/by-2-0" in credit_line() and credit_line().startswith("© GeoBasis-DE / BKG")


def test_url_parameters_set_the_widgets():
    app = run(date="2024-02-01", compare="2023-09-25", level="kreis", region="057", evidence="documented")
    assert app.slider(key="w_slider").value == D(2024, 2, 1)
    assert app.date_input(key="w_date").value == D(2024, 2, 1)
    assert app.date_input(key="w_compare").value == D(2023, 9, 25)
    assert app.radio(key="w_level").value == "kreis"
    assert app.selectbox(key="w_region").value == "057"
    assert app.radio(key="w_evidence").value == "documented"
    assert app.caption[0].value == "Stand: 1. Februar 2024 · RB Detmold"


def test_bad_parameters_give_a_notice_and_defaults_not_a_traceback():
    app = run(date="2024-02-31", level="bezirk", region="<script>", evidence="viel")
    notices = " ".join(w.value for w in app.warning)
    assert "„date“" in notices and "„level“" in notices and "„region“" in notices and "„evidence“" in notices
    assert app.slider(key="w_slider").value == dt.date.today()
    assert app.radio(key="w_level").value == "gemeinde"
    assert metric(app, "Gemeinden abgedeckt").endswith("von 396 (100,0 %)")
    assert url(app) == {"date": dt.date.today().isoformat()}


def test_region_restricts_the_figures(detmold):
    assert metric(detmold, "Gemeinden abgedeckt") == "70 von 70 (100,0 %)"
    assert metric(detmold, "Kreise im Netzwerk") == "7 von 7"
    assert metric(detmold, "Bezirksregierungen im Netzwerk") == "1 von 1"
    captions = [c.value for c in detmold.caption]
    assert (
        "2.087.744 von 2.087.744 Einwohnern · 6.520 von 6.520 km²  \n"
        "Davon belegt – Gemeinden: 1 (einzeln) · Einwohner: 35.311 · Kreise: 0 · Bezirksregierungen: 1"
    ) in captions


def test_moving_the_stichtag_changes_figures_and_url(detmold):
    detmold.slider(key="w_slider").set_value(D(2024, 1, 31)).run()
    assert metric(detmold, "Gemeinden abgedeckt") == "0 von 70 (0,0 %)"
    assert detmold.date_input(key="w_date").value == D(2024, 1, 31)
    assert url(detmold) == {"date": "2024-01-31", "region": "057"}
    detmold.date_input(key="w_date").set_value(D(2024, 2, 1)).run()
    assert metric(detmold, "Gemeinden abgedeckt") == "70 von 70 (100,0 %)"
    assert detmold.slider(key="w_slider").value == D(2024, 2, 1)


def test_the_stichtag_controls_are_on_the_page_not_in_the_sidebar(detmold):
    on_page = {"w_slider", "w_date", "w_day_back", "w_day_forward", "w_jump", "w_play", "w_step", "w_step_mode"}
    assert not on_page & {widget.key for widget in detmold.sidebar if getattr(widget, "key", None)}
    assert {"w_level", "w_region", "w_compare", "w_evidence", "w_basemap", "w_lang"} <= {
        widget.key for widget in detmold.sidebar if getattr(widget, "key", None)
    }
    assert detmold.slider(key="w_slider").value == D(2024, 2, 1)


def sidebar_shows(app: AppTest) -> dict:
    """What the sidebar's view widgets show."""
    return {
        key: app.sidebar.get(kind)[[w.key for w in app.sidebar.get(kind)].index(key)].value
        for kind, key in (("date_input", "w_compare"), ("radio", "w_level"), ("selectbox", "w_region"))
    }


def infos(app: AppTest) -> list[str]:
    """The page's polite notices (st.info: role="status")."""
    return [i.value for i in app.info]


def test_a_stichtag_moved_before_the_compare_date_keeps_the_day_and_clears_the_comparison_with_a_notice():
    """The Stichtag is the person's: it never moves by itself; the comparison goes, and the page says so."""
    app = run(date="2024-02-01", compare="2024-01-15", region="057")
    app.slider(key="w_slider").set_value(D(2024, 1, 10)).run()
    assert app.slider(key="w_slider").value == app.date_input(key="w_date").value == D(2024, 1, 10)
    assert sidebar_shows(app) == {"w_compare": None, "w_level": "gemeinde", "w_region": "057"}
    assert url(app) == {"date": "2024-01-10", "region": "057"}
    assert "Vergleich mit 15\\. Januar 2024 aufgehoben\\: er läge nach dem Stichtag 10\\. Januar 2024\\." in infos(app)
    assert not app.warning and not app.exception


def test_h1_jump_before_the_compare_date_then_a_level_click():
    """The H1 scenario (jump to a Stichtag, then change the level) headless: sidebar, URL and view agree after the jump and after the level click."""
    app = run(date="2024-02-01", compare="2023-09-25")
    app.selectbox(key="w_jump").set_value("2023-09-08").run()  # "Beitritt RB Köln – 8. September 2023"
    assert app.slider(key="w_slider").value == D(2023, 9, 8)
    assert sidebar_shows(app) == {"w_compare": None, "w_level": "gemeinde", "w_region": "05"}
    assert url(app) == {"date": "2023-09-08"}
    assert any(text.startswith("Vergleich mit 25\\. September 2023 aufgehoben") for text in infos(app))
    assert "Stand: 8. September 2023" in app.caption[0].value
    app.radio(key="w_level").set_value("kreis").run()
    assert app.slider(key="w_slider").value == app.date_input(key="w_date").value == D(2023, 9, 8)
    assert sidebar_shows(app) == {"w_compare": None, "w_level": "kreis", "w_region": "05"}
    assert url(app) == {"date": "2023-09-08", "level": "kreis"}
    assert not infos(app)  # the notice was about the jump; the level click changed no date


def test_h1_two_vortag_from_a_compare_date_of_the_day_before():
    app = run(date="2024-02-01", compare="2024-01-31", region="057")
    app.button(key="w_day_back").click().run()
    assert url(app) == {"date": "2024-01-31", "region": "057"} and sidebar_shows(app)["w_compare"] is None
    assert "Vergleich mit 31\\. Januar 2024 aufgehoben\\: er fiele auf den Stichtag\\." in infos(app)
    app.button(key="w_day_back").click().run()
    assert url(app) == {"date": "2024-01-30", "region": "057"} and app.slider(key="w_slider").value == D(2024, 1, 30)
    app.radio(key="w_level").set_value("kreis").run()
    assert url(app) == {"date": "2024-01-30", "level": "kreis", "region": "057"}
    assert app.slider(key="w_slider").value == D(2024, 1, 30) and sidebar_shows(app)["w_compare"] is None


def test_a_compare_date_after_the_stichtag_is_not_applied():
    app = run(date="2024-02-01", compare="2023-09-25")
    app.date_input(key="w_compare").set_value(D(2024, 3, 1)).run()
    assert sidebar_shows(app)["w_compare"] == D(2023, 9, 25) and app.slider(key="w_slider").value == D(2024, 2, 1)
    assert url(app) == {"date": "2024-02-01", "compare": "2023-09-25"}
    assert any("nicht übernommen" in text for text in infos(app))


def announced(app: AppTest) -> str:
    """What the page's one live region for views, the map's, is told to say (its ``announcement`` argument)."""
    (args,) = components(app, "coverage_map")
    return args["announcement"]


def test_a_stichtag_change_and_a_place_search_are_announced():
    import html

    app = run(date="2024-02-01", region="057")
    assert announced(app) == ""  # nothing changed yet
    app.button(key="w_day_back").click().run()
    said = html.unescape(announced(app))
    assert said.startswith("Karte: Gemeinden, Regierungsbezirk Detmold, Stand 31. Januar 2024")
    assert "Abgedeckt sind 0 von 70 Gemeinden" in said
    app.text_input(key="w_place_query").input("Bielefeld").run()
    assert html.unescape(announced(app)).startswith("Bielefeld gefunden: noch nicht abgedeckt")
    app.text_input(key="w_place_query").input("<b>x</b>").run()
    assert "<b>x</b>" in announced(app)  # plain text: the live region sets it as text, never as markup


def test_compare_date_gives_deltas():
    app = run(date="2024-02-01", region="057")
    app.date_input(key="w_compare").set_value(D(2024, 1, 31)).run()
    gemeinden = next(m for m in app.metric if m.label == "Gemeinden abgedeckt")
    assert gemeinden.delta == "+70"
    assert url(app)["compare"] == "2024-01-31"


def test_jump_to_a_regional_event():
    app = run(date="2022-05-01")
    labels = app.selectbox(key="w_jump").options
    assert "Beitritt RB Detmold – 1. Februar 2024" in labels
    app.selectbox(key="w_jump").set_value("2023-09-25").run()
    assert app.slider(key="w_slider").value == D(2023, 9, 25)
    # 326: Erkrath counts from Düsseldorf's event too (inferred); its own release only proves it later.
    assert metric(app, "Gemeinden abgedeckt") == "326 von 396 (82,3 %)"
    assert app.selectbox(key="w_jump").value is None


def test_step_event_by_event_and_month_by_month():
    app = run(date="2023-09-08")
    app.radio(key="w_step_mode").set_value("event").run()
    app.button(key="w_step").click().run()
    # Stolberg's news item of 13 September 2023 proves its September accession from that day.
    assert app.slider(key="w_slider").value == D(2023, 9, 13)
    app.radio(key="w_step_mode").set_value("month").run()
    app.button(key="w_step").click().run()
    assert app.slider(key="w_slider").value == D(2023, 10, 1)
    assert url(app)["date"] == "2023-10-01"


def test_play_at_the_end_starts_from_the_beginning():
    app = run()
    assert app.button(key="w_play").label == "Abspielen"
    app.button(key="w_play").click().run()
    assert app.button(key="w_play").label == "Anhalten"
    assert app.slider(key="w_slider").value == D(2022, 1, 1)
    app.button(key="w_play").click().run()
    assert app.button(key="w_play").label == "Abspielen"


def members_frame(app):
    """The members table (the first with a column "Art"; the map's table view comes before it)."""
    return next(table.value for table in app_tables(app) if "Art" in table.value.columns)


def test_members_table_search_and_undated_note():
    app = run(date="2024-02-01", region="051")
    # The list is sent only once asked for; until then its count stands in.
    assert any("Organisationen (Personen werden nie einzeln aufgeführt)" in c.value for c in app.caption)
    assert "w_search" not in [w.key for w in app.text_input]
    app.toggle(key="w_members_open").set_value(True).run()
    table = members_frame(app)
    assert {"Name", "Art", "Beitritt", "Evidenz", "Quelle"} <= set(table.columns)
    # Each row's own evidence: an inferred one names the event it is inferred from.
    assert set(table["Evidenz"]) == {
        "einzeln belegt",
        "abgeleitet aus dem Beitritt des RB Düsseldorf (25. September 2023)",
    }
    app.text_input(key="w_search").set_value("erkrath").run()
    # One body, one row: Erkrath's own release (documented) is its row; Düsseldorf's event does not count it twice.
    found = members_frame(app)
    assert sorted(zip(found["Name"], found["Evidenz"])) == [("Stadt Erkrath", "einzeln belegt")]
    # The product's own CSV (stamped with the view), named after the list; no grid and its own download anywhere.
    assert "Mitgliederliste als CSV herunterladen" in {b.proto.label for b in app.get("download_button")}
    assert not app.dataframe
    undated = [e for e in app.expander if "ohne bekanntes Beitrittsdatum" in e.label]
    assert undated and "Kreis Mettmann" in app_tables(undated[0])[0].value["Name"].tolist()


def test_documented_only_changes_the_figures():
    app = run(date="2024-02-01", evidence="documented")
    # Under "documented accessions only" the cards count documented coverage and say so.
    assert metric(app, "Belegt abgedeckte Gemeinden") != "396 von 396 (100,0 %)"
    assert not any(m.label == "Gemeinden abgedeckt" for m in app.metric)
    assert not any("Abgeleitet =" in c.value for c in app.caption)


def test_english_toggle():
    app = run(date="2024-02-01", region="057")
    app.toggle(key="w_lang").set_value(True).run()
    assert app.caption[0].value == "As of: 1 February 2024 · RB Detmold"
    assert metric(app, "Municipalities covered") == "70 of 70 (100.0%)"


def test_export_section_builds_nothing_until_asked():
    app = run(date="2024-02-01")
    assert [h.value for h in app.header if h.value == "Export für die Presse"]
    assert not [b for b in app.get("download_button")]  # no button, no file, no widget state
    app.toggle(key="w_export_open").set_value(True).run()
    labels = {b.proto.label for b in app.get("download_button")}
    # Every map, animation and data format of the view, and the press kit's additions.
    assert {"PNG", "SVG", "PDF", "GIF", "MP4", "CSV", "XLSX", "GeoJSON"} <= labels


def test_a_stichtag_change_within_one_coverage_period_rebuilds_no_model(monkeypatch):
    from viewmodel import model

    app = run(date="2024-03-01")
    built = []
    real = model.unit_table
    monkeypatch.setattr(model, "unit_table", lambda cov, state: built.append(state) or real(cov, state))
    app.slider(key="w_slider").set_value(D(2024, 3, 2)).run()  # no coverage change after 1 Feb 2024
    assert not app.exception and built == []
    assert "2. März 2024" in app.caption[0].value
    from register import atlasdata

    atlasdata.load_coverage().__dict__.pop("_viewmodel_memo", None)  # forget what other tests built
    app.slider(key="w_slider").set_value(D(2023, 3, 2)).run()  # another coverage period
    assert built


def test_url_notices_show_markdown_and_html_as_text_and_cut_long_values():
    hostile = "<img src=x>[Login](https://evil.example) ![x](http://evil.example/x.png)"
    app = run(region=hostile, level="x" * 200_000)
    notices = [w.value for w in app.warning]
    assert len(notices) == 2
    region = next(n for n in notices if "„region“" in n)
    # Every Markdown/HTML character is escaped: Streamlit shows it as the text it is, no link, no image.
    assert "\\<img src\\=x\\>\\[Login\\]\\(https\\:\\/\\/evil\\.example\\)" in region
    assert "http://evil.example/x.png" not in region  # cut after 40 characters
    level = next(n for n in notices if "„level“" in n)
    assert len(level) < 300  # the 200 KB value is cut, not echoed
    assert url(app).get("region") is None


def test_a_reversed_date_pair_in_the_url_is_swapped_with_a_notice():
    app = run(date="2023-09-01", compare="2024-02-01")
    assert any("getauscht" in w.value for w in app.warning)
    assert url(app)["date"] == "2024-02-01" and url(app)["compare"] == "2023-09-01"


def test_pages_share_one_sidebar_of_links_and_the_language():
    """Every page lists the same four links; the Erklärung follows the atlas's language (and its toggle)."""
    app = run(lang="en")
    labels = [link.label for link in app.sidebar.get("page_link")]
    assert labels == ["Coverage atlas", "Membership register", "Accessibility", "Leichte Sprache (easy-to-read German)"]
    app.switch_page("barrierefreiheit.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == "Accessibility statement"
    assert [link.label for link in app.sidebar.get("page_link")] == labels
    assert url(app).get("lang") == "en"  # the address reproduces the page
    app.toggle(key="w_page_lang").set_value(False).run()
    assert app.title[0].value == "Erklärung zur Barrierefreiheit" and app.session_state.page.view.lang == "de"
    assert "lang" not in url(app)


def test_the_embedded_map_has_no_sidebar_links():
    assert not run(iframe="1").get("page_link")


def test_tables_and_the_embed_code_are_sent_once_asked_for_and_then_follow_the_stichtag():
    """A Stichtag change sends statuses and figures, not 400-row tables nobody opened."""
    app = run(date="2024-02-01", region="057")
    assert not app_tables(app) and not app.code
    app.toggle(key="w_map_table_open").set_value(True).run()
    app.toggle(key="w_embed_open").set_value(True).run()
    (table,) = app_tables(app)
    assert len(table.value) == 70 and "<iframe" in app.code[0].value and "2024-02-01" in app.code[0].value
    assert set(table.value["Status"]) == {
        "abgedeckt – abgeleitet aus dem Beitritt des RB Detmold (1. Februar 2024)",
        "Mitglied – einzeln belegt",
    }
    app.slider(key="w_slider").set_value(D(2024, 1, 31)).run()
    (table,) = app_tables(app)  # still open, and moved with the map: the day before Detmold joined
    assert set(table.value["Status"]) == {"noch nicht abgedeckt"} and "2024-01-31" in app.code[0].value


def components(app: AppTest, name: str) -> list[dict]:
    """The data of each component v2 ``name`` on the page (``sid-atlas.<name>``), in page order."""
    import json

    return [
        json.loads(element.proto.json)
        for element in app.get("bidi_component")
        if element.proto.component_name == f"sid-atlas.{name}"
    ]


def charts(app: AppTest) -> dict:
    """The two timeline chart components by key: their arguments (``dashboard.chartview``)."""
    return {args.pop("name"): args for args in components(app, "timeline_chart")}


def test_the_timeline_charts_are_two_components_whose_data_waits_in_a_file():
    import json

    from dashboard import chartview, datafiles
    from loaders import provenance
    from loaders.viewstate import FIRST_DAY, ViewState
    from register import atlasdata
    from viewmodel.model import build

    app = run(date="2024-02-01", region="057", compare="2023-09-08")
    shown = charts(app)
    assert set(shown) == {"chart-coverage", "chart-sizes"}
    coverage_args = shown["chart-coverage"]
    assert coverage_args["rules"] == [
        ["2024-02-01", "Stichtag: 1. Februar 2024"],
        ["2023-09-08", "Vergleich mit: 8. September 2023"],
    ]
    assert shown["chart-sizes"]["rules"] == [["2024-02-01", "Stichtag: 1. Februar 2024"]]
    assert coverage_args["height"] == chartview.HEIGHTS["coverage"]
    data = json.loads(datafiles.path_of(coverage_args["data"]).read_text(encoding="utf-8"))
    assert data["lang"] == "de" and data["label"] == "Diagramm: Abdeckung im Verlauf"
    cov = atlasdata.load_coverage()
    # The points end at the Datenstand, marked by its rule; the time after it is a band, no point.
    as_of = provenance.data_as_of(cov)
    days = cov.timeline("all", "057", start=FIRST_DAY, end=as_of.day)["day"]
    assert data["days"] == [day.isoformat() for day in days] and data["days"][-1] == "2025-11-14"
    assert data["asOf"] == ["2025-11-14", "Datenstand: 14. November 2025"]
    assert data["after"] == "Keine Angaben nach dem Datenstand"
    # The point of the Stichtag says what the view model says of that day.
    now = build(cov, ViewState(D(2024, 2, 1), region="057"), tooltips=False).now
    point = data["tips"][data["days"].index("2024-02-01")]
    assert point[0] == "1. Februar 2024"
    assert f"{now['gemeinden_covered']} von {now['gemeinden_total']}" in point[1]

    # A Stichtag change keeps the data file and sends a few bytes of rules.
    app.slider(key="w_slider").set_value(D(2023, 9, 8)).run()
    moved = charts(app)
    assert moved["chart-coverage"]["data"] == coverage_args["data"]
    assert moved["chart-coverage"]["rules"][0] == ["2023-09-08", "Stichtag: 8. September 2023"]
    assert len(json.dumps(moved["chart-coverage"])) < 250


def test_the_english_charts_have_their_own_words():
    import json

    from dashboard import datafiles

    shown = charts(run(date="2024-02-01", lang="en"))
    assert shown["chart-coverage"]["rules"] == [["2024-02-01", "Reference date: 1 February 2024"]]
    data = json.loads(datafiles.path_of(shown["chart-sizes"]["data"]).read_text(encoding="utf-8"))
    assert data["lang"] == "en" and data["title"].startswith("Published network size")
    assert "arrow keys" in data["keys"]


def map_focus(app: AppTest) -> str | None:
    """The unit the map is told to zoom to (its component's ``focus`` argument)."""
    (args,) = components(app, "coverage_map")
    return args.get("focus")


def test_place_search_finds_by_name_offers_a_choice_and_says_when_nothing_matches():
    app = run(date="2024-02-01")
    assert map_focus(app) is None
    app.text_input(key="w_place_query").input("Bielef").run()
    assert map_focus(app) == "05711000" and not [r for r in app.radio if r.key == "w_place_pick"]
    app.text_input(key="w_place_query").input("Hamm").run()  # Hamm and Hamminkeln: the exact name wins
    assert map_focus(app) == "05915000"
    app.text_input(key="w_place_query").input("berg").run()  # many: a choice, the map stays
    pick = app.radio(key="w_place_pick")
    assert len(pick.options) == 8 and "die ersten 8" in pick.label and map_focus(app) is None
    pick.set_value(pick.options[0]).run()
    assert map_focus(app) == pick.options[0].rsplit("(", 1)[1].rstrip(")")
    app.text_input(key="w_place_query").input("[x](http://evil.example)").run()
    (said,) = (c.value for c in app.caption if "heißt" in c.value)
    assert "](" not in said.replace("\\]\\(", "")  # shown literally, never as a link
    assert map_focus(app) is None
