"""The Streamlit dashboard of the #sicherimDienst atlas (German UI, English code).

It draws; it reads nothing from files itself — everything comes from ``loaders``.
``app.py`` is the entry point; :mod:`dashboard.navigation` declares the pages
(``atlas.py`` at ``/``, ``register_page.py`` at ``/register``,
``barrierefreiheit.py`` at ``/barrierefreiheit``) and runs the one asked for.
The map component's files are listed by :mod:`webparts.components`, which the
standalone HTML export (:mod:`exports.standalone`) uses too.
"""
