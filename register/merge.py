"""Merge rules: what a row of a file makes of a registered membership, and what keeps it out.

A partner list states what it knows: a blank cell says nothing and keeps the
register's value (a list that does not know a date never erases a known one),
and a body keeps the name it was first registered under. A register export
states each row completely and replaces it as it stands (:mod:`register.core`
takes it as given). Either way the result must pass the shipped table's
validator (:func:`loaders.accessions.validate_accessions`) and lie in the past.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from loaders import accessions
from loaders.dates import period_bounds, precision_of


def merge(before: dict | None, given: dict, event_dates: dict[str, str], default_source: str) -> dict:
    """A partner-list row laid over the registered record: blank cells keep what is known."""
    if before is None:
        return given | {"source": given["source"] or default_source}
    after = dict(before)
    if given["joined_on"]:
        after["joined_on"], after["date_precision"] = given["joined_on"], given["date_precision"]
        rebase_event(after, event_dates)
    for column in ("left_on", "source", "note", "quote", "read_on", "not_before"):
        if given[column]:
            after[column] = given[column]
    return after


def rebase_event(record: dict, event_dates: dict[str, str]) -> None:
    """After a new accession date: a regional event stands for its own date.

    So a body dated otherwise joined separately.
    """
    if record["event"] in event_dates and event_dates[record["event"]] != record["joined_on"]:
        record["event"] = accessions.SEPARATE


def values_of(record: dict) -> tuple:
    """A record as a hashable tuple in column order (the key of validated records)."""
    return tuple(record.get(column, "") for column in accessions.COLUMNS)


def records_problems(records: list[dict], units: pd.DataFrame, events: pd.DataFrame, today: dt.date) -> list[list[str]]:
    """What keeps each record out of the register, for many records in one pass of the validator.

    The records have distinct identities (an import never plans one body
    twice). A finding that names no row would concern them all, and is given to each.
    """
    found: list[list[str]] = [[] for _ in records]
    row = re.compile(r"row (\d+) \(")
    for problem in accessions.validate_accessions(pd.DataFrame(records, columns=accessions.COLUMNS), units, events):
        match = row.match(problem)
        if match and 0 < int(match[1]) <= len(records):
            index = int(match[1]) - 1
            found[index].append(problem.removeprefix(f"row {index + 1} ({records[index]['name'] or 'no name'}): "))
        else:
            for problems in found:
                problems.append(problem)
    for record, problems in zip(records, found):
        problems += future_problems(record, today)
    return found


def record_problems(record: dict, units: pd.DataFrame, events: pd.DataFrame, today: dt.date) -> list[str]:
    """What keeps one record out of the register: the shipped validator's findings, and future dates."""
    return records_problems([record], units, events, today)[0]


def future_problems(record: dict, today: dt.date) -> list[str]:
    """What of a record's dates lies after ``today``."""
    problems = []
    for column in ("joined_on", "left_on", "not_before", "read_on"):
        text = record.get(column, "")
        try:
            bounds = period_bounds(text, precision_of(text)) if text else None
        except ValueError:
            continue  # already reported by the validator
        if bounds and bounds[0] > today:
            problems.append(f"{column} {text} liegt in der Zukunft")
    return problems
