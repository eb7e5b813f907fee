"""Levels of detail of the web geometry, apart from :mod:`loaders.webgeometry`.

A press export only needs to know which levels exist to pick one; importing
webgeometry for that loaded geopandas, pyproj and topojson (about 0.05 s).
"""

# Douglas-Peucker-like tolerance in metres (EPSG:25832) per level of detail.
# "overview" keeps all 396 Gemeinden under 300 KB of GeoJSON for one NRW view.
LODS = {"overview": 500.0, "region": 150.0, "detail": 50.0}
