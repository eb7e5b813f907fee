"""What a command pays for: the libraries it loads, the tables it reads, how it encodes.

No wall-clock value is asserted (that is ``make bench``'s job); these tests pin
the causes: a module that should not be imported, geometry that should not be
read, an alpha channel that should not be stored.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from PIL import Image

from loaders import store
from loaders.paths import PROJECT_ROOT
from register.config import URL_ENV, configured_url

LIGHT = ("__init__", "formats")
# Every module of the exports but the import-free list of formats (the CLI offers them as choices).
EXPORTS = tuple(f"exports.{p.stem}" for p in sorted((PROJECT_ROOT / "exports").glob("*.py")) if p.stem not in LIGHT)
HEAVY = ("sqlalchemy", "geopandas", "shapely", "pyogrio", "topojson", "matplotlib", "streamlit", *EXPORTS)
PROBE = """
import sys
import atlas_cli
code = atlas_cli.main(sys.argv[1:])
loaded = [name for name in {heavy!r} if name in sys.modules]
print("LOADED", *loaded, file=sys.stderr)
sys.exit(code)
"""


def run_cli_and_list_heavy_modules(*args, env=None):
    environment = {k: v for k, v in os.environ.items() if k != URL_ENV} | (env or {})
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
    )
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stderr.splitlines() if line.startswith("LOADED"))
    return done.stdout, line.split()[1:]


@pytest.mark.process
def test_coverage_command_loads_no_database_geometry_or_plotting_library(units):
    if configured_url() is not None:
        pytest.skip("a register is configured in .streamlit/secrets.toml: the command must then read it")
    out, loaded = run_cli_and_list_heavy_modules("coverage", "--date", "2024-02-01", "--format", "json")
    assert loaded == []
    assert '"key": "057"' in out  # it did answer, from the attribute table


@pytest.mark.process
def test_coverage_command_with_a_register_loads_the_database_layer(tmp_path, units):
    db = f"sqlite:///{tmp_path / 'reg.sqlite'}"
    out, loaded = run_cli_and_list_heavy_modules("coverage", "--date", "2024-02-01", env={URL_ENV: db})
    assert "sqlalchemy" in loaded and "geopandas" not in loaded and "Detmold" in out


@pytest.mark.process
def test_importing_the_command_line_loads_no_heavy_library():
    """``sid-atlas --help`` and every command start here: matplotlib and the rest come with a command."""
    code = f"import sys, atlas_cli; print(*[name for name in {HEAVY!r} if name in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_attribute_table_is_the_unit_table_without_geometry(units):
    attributes = store.load_attributes()
    assert type(attributes) is pd.DataFrame and "geometry" not in attributes.columns
    expected = pd.DataFrame(units.drop(columns="geometry"))
    pd.testing.assert_frame_equal(attributes.reset_index(drop=True), expected.reset_index(drop=True))


def test_a_cache_without_the_attribute_table_is_completed_once(tmp_path, monkeypatch, units):
    # A cache prepared before the attribute table existed: only the full unit table is there.
    full = store.units_cache_path()
    monkeypatch.setenv("SID_ATLAS_CACHE", str(tmp_path))
    shutil.copy(full, store.units_cache_path())
    store.load_units.cache_clear()
    store.load_attributes.cache_clear()
    try:
        assert not store.attributes_cache_path().exists()
        attributes = store.load_attributes()
        assert store.attributes_cache_path().is_file() and len(attributes) == len(units)
    finally:
        store.load_units.cache_clear()
        store.load_attributes.cache_clear()


@pytest.mark.media
def test_png_export_is_rgb_with_its_dpi_and_title(coverage):
    from exports.dispatch import export
    from loaders.viewstate import ViewState

    data = export(coverage, ViewState(dt.date(2024, 2, 1)), "png", preset="square")
    image = Image.open(io.BytesIO(data))
    assert image.mode == "RGB"  # no alpha channel of constant 255
    assert image.info["Title"].startswith("#sicherimDienst")
    assert "Software" not in image.info
    assert data == export(coverage, ViewState(dt.date(2024, 2, 1)), "png", preset="square")  # deterministic


# A picture needs matplotlib and shapely; the map is drawn from the projected geometry in the cache.
NOT_FOR_A_PICTURE = ("geopandas", "pyproj", "topojson", "matplotlib.pyplot", "sqlalchemy")


@pytest.mark.process
def test_png_export_loads_no_geopandas_pyproj_or_pyplot(tmp_path, units):
    if configured_url() is not None:
        pytest.skip("a register is configured in .streamlit/secrets.toml: the command must then read it")
    args = ["export", "--date", "2024-02-01", "--format", "png", "--preset", "square", "--out", str(tmp_path / "m.png")]
    environment = {k: v for k, v in os.environ.items() if k != URL_ENV}
    probe = PROBE.format(heavy=NOT_FOR_A_PICTURE)
    subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, timeout=300, env=environment, check=True)
    # The second run finds the projected geometry the first one may have had to write.
    done = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=300, env=environment
    )
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stderr.splitlines() if line.startswith("LOADED"))
    assert line.split()[1:] == []
    assert Image.open(tmp_path / "m.png").size == (1080, 1080)


def test_projected_print_geometry_is_read_back_exactly_and_follows_the_web_geometry(tmp_path, monkeypatch, units):
    import shapely

    from exports import mapfig

    web = store.web_cache_path("overview")
    store.load_web_units("overview")  # the web geometry exists
    monkeypatch.setenv("SID_ATLAS_CACHE", str(tmp_path))
    shutil.copy(web, store.web_cache_path("overview"))
    store.load_web_units.cache_clear()
    mapfig._projected.cache_clear()
    try:
        written = mapfig._projected("overview")  # projects and writes the print file
        printed = list(tmp_path.glob("print-web-overview-*.npz"))
        assert len(printed) == 1
        mapfig._projected.cache_clear()
        read = mapfig._projected("overview")  # from the print file
        assert list(read["key"]) == list(written["key"]) and list(read["level"]) == list(written["level"])
        assert list(shapely.to_wkb(read["geometry"].to_numpy())) == list(shapely.to_wkb(written["geometry"].to_numpy()))
        before = printed[0].stat().st_mtime_ns
        # New web geometry (another size or time): the print file is made again.
        os.utime(store.web_cache_path("overview"), ns=(before + 10**9, before + 10**9))
        mapfig._projected.cache_clear()
        mapfig._projected("overview")
        assert printed[0].stat().st_mtime_ns != before
    finally:
        store.load_web_units.cache_clear()
        mapfig._projected.cache_clear()
