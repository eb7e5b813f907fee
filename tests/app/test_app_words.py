"""The screen's words and both embeds, headless: what a person reads never overstates.

Every text element of the atlas page — headings, captions, notices, figure cards, the map
table, the members list, the map's legend and description — for views that show every status,
under both evidence filters, in German and English, checked by ``tests.helpers.word_problems``.
The embeds of "today" (interactive and static) name the Datenstand and say that their figures
are the Datenstand's. The other outputs are scanned in ``tests/unit/test_words.py``.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from loaders import provenance
from register import atlasdata
from tests.helpers import APP, app_tables, word_problems
from viewmodel.i18n import format_date

VIEWS = (
    {"date": "2024-02-01", "region": "057"},
    {"date": "2024-02-01", "region": "057", "level": "kreis", "compare": "2024-01-31"},
    {"date": "2024-02-01", "level": "regierungsbezirk", "compare": "2024-01-31"},
)


def run(**params) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def page_text(app: AppTest) -> str:
    """Every text a person reads on the page, one statement per line; table cells apart."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "text", "code"):
        parts += [str(element.value) for element in app.get(kind)]
    for card in app.metric:
        parts += [card.label, str(card.value), str(card.delta or ""), str(card.proto.help or "")]
    for table in app_tables(app):
        parts.append(table.caption)
        parts.append(table.value.to_csv(sep="|", index=False))
    parts += [expander.label for expander in app.expander]
    parts += [img.alt for image in app.get("image") for img in image.proto.imgs]  # a picture's alt text is read
    for element in app.get("bidi_component"):
        args = json.loads(element.proto.json)
        if "legend" in args:  # the map: its legend, its accessible description and what its live region says
            parts += [item["label"] for item in args["legend"]] + [args["a11y"]["description"], args["announcement"]]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("evidence", ["all", "documented"])
@pytest.mark.parametrize("params", VIEWS, ids=["gemeinden", "kreise-compare", "bezirke-compare"])
def test_the_page_never_overstates(params, evidence, lang):
    app = run(**params, evidence=evidence, lang=lang)
    app.toggle(key="w_map_table_open").set_value(True).run()
    app.toggle(key="w_members_open").set_value(True).run()
    text = page_text(app)
    assert len(app_tables(app)) >= 2 and "|" in text  # the map table and the members list were read
    assert word_problems(text, documented_only=evidence == "documented") == []
    as_of = provenance.data_as_of(atlasdata.load_coverage())
    assert f"{'Datenstand' if lang == 'de' else 'Data as of'}: {format_date(as_of.day, lang)}" in text


def test_the_embeds_of_today_name_the_datenstand():
    """ "Immer der neueste Stand": the frame shows today's date, so it says whose figures it shows."""
    as_of = provenance.data_as_of(atlasdata.load_coverage())
    named = f"Datenstand: {format_date(as_of.day)}"
    interactive = page_text(run(iframe="1", region="057"))
    assert named in interactive and "sind die des Datenstands" in interactive
    assert word_problems(interactive) == []
    static = page_text(run(iframe="1", region="057", static="1"))
    assert named in static and "sind die des Datenstands" in static  # the picture's alt text
    assert word_problems(static) == []
