"""What a view shows: status, evidence, figures, legend, colours and words — in one place.

``viewmodel`` sits between ``loaders`` (reading, joining, the coverage model)
and everything that draws: the dashboard, the standalone HTML, the static maps
and animations, the data exports and ``sid-atlas coverage``. It knows nothing
of Streamlit and nothing of file formats.

Modules
-------
palette
    The one palette: a colour, an edge and a pattern per status.
i18n
    German and English words and number formats (the translations).
text
    The vocabulary: every word about a unit's status and evidence, the legend,
    tooltips, figures line, Datenstand and data version — one place for all outputs.
model
    :func:`model.build` — the view model of one :class:`~loaders.viewstate.ViewState`;
    :func:`model.organisations` — the members, each body once.
rows
    The unit rows every data export and ``sid-atlas coverage`` write.
describe, picture_tables, tips, component, places, charts
    The description, the table views, the map's tooltips and arguments, the place search, the charts.
"""
