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
    German and English words and number formats.
text
    Legend entries, tooltips, figures line and currency notice, from the model.
model
    :func:`model.build` — the view model of one :class:`~loaders.viewstate.ViewState`.
"""
