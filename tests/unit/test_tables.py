"""CSV for people: formula neutralisation and the one shared implementation."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from atlas_cli import output
from loaders import tables


@pytest.mark.parametrize("text", ["=1+1", "+49 211", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_starts_a_formula_is_quoted(text):
    assert tables.csv_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Kreis Kleve", "", "a=b", 3, -2.5, None])
def test_other_values_pass_unchanged(value):
    assert tables.csv_safe(value) == value


def read_back(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "a BOM lets spreadsheet programs read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_to_csv_bytes_neutralises_cells_and_headers_but_not_numbers():
    frame = pd.DataFrame({"Name": ['=HYPERLINK("x")', "Düsseldorf, Stadt"], "=bad": ["@x", "ok"], "Anzahl": [-3, 5]})
    assert read_back(tables.to_csv_bytes(frame)) == [
        ["Name", "'=bad", "Anzahl"],
        ['\'=HYPERLINK("x")', "'@x", "-3"],
        ["Düsseldorf, Stadt", "ok", "5"],
    ]


def test_to_csv_bytes_of_an_empty_table_keeps_the_header():
    assert read_back(tables.to_csv_bytes(pd.DataFrame({"Name": pd.Series([], dtype=str)}))) == [["Name"]]


def test_cli_csv_uses_the_same_neutralisation():
    text = output.render([{"key": "05111000", "name": "=cmd|' /C calc'!A0"}], "csv", ["key", "name"])
    assert text.splitlines()[1] == "05111000,'=cmd|' /C calc'!A0"
    assert not hasattr(output, "_csv_safe")
