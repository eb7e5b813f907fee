"""The Streamlit dashboard of the #sicherimDienst atlas (German UI, English code).

It draws: the data come from ``loaders`` (and the register), the words and
figures from ``viewmodel``. Its own files are its texts and page assets
(:mod:`dashboard.bitv` reads the Erklärung and the Leichte Sprache from
``texts/``, :mod:`dashboard.chrome` and :mod:`dashboard.assets` read Streamlit's
bundles and the components' files). Two modules write, both into the cache
directory only (:mod:`loaders.paths`): :mod:`dashboard.datafiles` writes the
page's content-hashed data files (map geometry, tooltips, chart data) and
deletes stale ones, :mod:`dashboard.webserver` checks at start that the cache
directory is writable.

``app.py`` is the entry point; :mod:`dashboard.navigation` declares the pages
(``atlas.py`` at ``/``, ``register_page.py`` at ``/register``,
``barrierefreiheit.py`` at ``/barrierefreiheit``) and runs the one asked for.
The map and chart components' files live below this package, in :mod:`webparts`
(:mod:`webparts.components` lists them), which the standalone HTML export
(:mod:`exports.standalone`) inlines too.
"""
