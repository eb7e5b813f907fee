"""The atlas's parts that run in the browser: the map and timeline-chart components' files.

Below both :mod:`dashboard` (which serves them to the page) and :mod:`exports`
(whose standalone HTML inlines them): neither Streamlit nor the view model is
imported here.

Modules and folders
-------------------
components
    The one place that reads the components' entry files: what each loads, in
    order, and how a reference is rewritten (hashed by the server, inlined by
    the standalone export); the vendored libraries and whether they are installed.
map_component/
    The coverage map (Leaflet): ``index.js``/``index.css`` entry files,
    ``map.js``/``map.css``, and ``vendor/`` — Leaflet and topojson-client from
    the npm registry (``scripts/install_leaflet.sh``, ``make install``; never committed).
chart_component/
    The two keyboard-operable timeline charts (plain SVG).
"""
