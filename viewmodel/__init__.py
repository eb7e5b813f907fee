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
credits
    The credits the geodata licences require, for the screen, every picture and every export.
model
    :func:`model.build` — the view model of one :class:`~loaders.viewstate.ViewState`;
    :func:`model.organisations` — the members, each body once.
rows
    The unit rows every data export and ``sid-atlas coverage`` write.
describe
    A description of every view, written from its data: the map's text alternative, the exports' alt text.
cards
    The headline figures as cards: value at the Stichtag, change since the compare date.
memberlist
    The members table as a person reads it, and its CSV stamped with the view.
picture_tables
    Tables beside the pictures: the map as a table, the timeline charts as tables.
sorting
    How a table's column sorts (numbers, dates, codes, words), read from the words it shows.
tips
    The map's tooltips: a fixed table sent once with the geometry, a few numbers per state.
component
    The arguments of the map component, built from a view model.
places
    The place search: which units of a view a typed name finds.
charts
    What the two timeline charts show: series, points with their words, axes, event marks.
playback
    The steps „Abspielen“ takes over time, month by month or event by event.
"""
