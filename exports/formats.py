"""What can be exported: formats, pictures, page presets — the one list, read by the CLI, the page and the exports.

Import-free on purpose: ``atlas_cli.parser`` offers these as choices, and
``sid-atlas --help`` must not load matplotlib, geopandas or the rest of
:mod:`exports` to print them (``tests/unit/test_process_cost.py``).

>>> FORMATS
('png', 'svg', 'pdf', 'html', 'gif', 'mp4', 'csv', 'xlsx', 'geojson', 'datapackage')
>>> file_name("karte", "datapackage"), MEDIA_TYPES["geojson"]
('karte.zip', 'application/geo+json')
"""

from __future__ import annotations

# Pictures of the map (or of the timeline, see PICTURES).
MAP_FORMATS = ("png", "svg", "pdf")
# The map as one self-contained page.
PAGE_FORMATS = ("html",)
ANIMATION_FORMATS = ("gif", "mp4")
# The table behind the view, one file each.
DATA_FORMATS = ("csv", "xlsx", "geojson")
# Every table, the outlines and the metadata in one zip.
PACKAGE_FORMATS = ("datapackage",)
FORMATS = MAP_FORMATS + PAGE_FORMATS + ANIMATION_FORMATS + DATA_FORMATS + PACKAGE_FORMATS
# Formats that are pictures: an alt text goes beside them.
PICTURE_FORMATS = MAP_FORMATS + ANIMATION_FORMATS
# What a picture shows: the map of the view, or its coverage over time (MAP_FORMATS only).
PICTURES = ("map", "timeline")

MEDIA_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "gif": "image/gif",
    "mp4": "video/mp4",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "datapackage": "application/zip",
}
# How a button or a message names a format.
LABELS = {
    "png": "PNG",
    "svg": "SVG",
    "pdf": "PDF",
    "html": "HTML",
    "gif": "GIF",
    "mp4": "MP4",
    "csv": "CSV",
    "xlsx": "XLSX",
    "geojson": "GeoJSON",
    "datapackage": "Open-Data-Paket (ZIP)",
}
# A file's extension where it is not the format's name.
_SUFFIXES = {"datapackage": "zip"}

# Page sizes of a picture: name -> (width px, height px, dpi); exports.style.PRESETS wraps them.
PRESET_SIZES = {
    "16x9": (1920, 1080, 150),
    "square": (1080, 1080, 150),
    # A4 at 300 dpi: 210 × 297 mm.
    "a4": (2480, 3508, 300),
    "a4-landscape": (3508, 2480, 300),
}
PRESET_NAMES = tuple(PRESET_SIZES)


def file_name(stem: str, fmt: str) -> str:
    """The name of a file of ``fmt``: ``stem`` and the format's extension."""
    return f"{stem}.{_SUFFIXES.get(fmt, fmt)}"
