"""Figure cards: values, deltas to the compare date, German formats."""

from __future__ import annotations

import datetime as dt

import pytest

from viewmodel import i18n
from viewmodel.cards import cards as figure_cards
from viewmodel.cards import detail_line

D = dt.date


def by_label(cards):
    return {card.label: card for card in cards}


def test_detmold_on_and_before_its_accession(coverage):
    now = coverage.summary(D(2024, 2, 1), "057")
    then = coverage.summary(D(2024, 1, 31), "057")
    cards = by_label(figure_cards(now, then, D(2024, 1, 31)))
    assert cards["Gemeinden abgedeckt"].value == "70 von 70 (100,0 %)"
    assert cards["Gemeinden abgedeckt"].delta == "+70"
    assert cards["Bevölkerung abgedeckt"].delta == "+100,0 Pp."
    assert cards["Kreise im Netzwerk"].value == "7 von 7"
    assert cards["Bezirksregierungen im Netzwerk"].value == "1 von 1"
    assert "31. Januar 2024" in cards["Gemeinden abgedeckt"].help
    before = by_label(figure_cards(then))
    assert before["Gemeinden abgedeckt"].value == "0 von 70 (0,0 %)"
    assert all(card.delta is None for card in before.values())


def test_nrw_figures_use_german_number_formats(coverage):
    now = coverage.summary(D(2024, 2, 1))
    assert detail_line(now).startswith("18.190.422 von 18.190.422 Einwohnern")
    cards = by_label(figure_cards(now))
    assert cards["Kreise im Netzwerk"].value == "52 von 53"  # Kreis Mettmann: date unknown
    assert cards["Bezirksregierungen im Netzwerk"].value == "5 von 5"


def test_share_of_gemeinden_after_duesseldorf(coverage):
    now = coverage.summary(D(2023, 9, 25))
    assert by_label(figure_cards(now))["Gemeinden abgedeckt"].value == "326 von 396 (82,3 %)"


def test_no_change_is_a_grey_plus_minus_zero(coverage):
    now = coverage.summary(D(2024, 6, 1))
    cards = figure_cards(now, now, D(2024, 5, 1))
    assert {card.delta for card in cards} == {"±0", "±0 Pp."}
    assert {card.delta_color for card in cards} == {"off"}


def test_a_loss_is_negative(coverage):
    cards = by_label(figure_cards(coverage.summary(D(2023, 1, 1)), coverage.summary(D(2024, 1, 1)), D(2024, 1, 1)))
    assert cards["Gemeinden abgedeckt"].delta.startswith("-")
    assert cards["Gemeinden abgedeckt"].delta_color == "normal"


def test_english_cards(coverage):
    cards = figure_cards(coverage.summary(D(2023, 9, 25)), lang="en")
    assert (cards[0].label, cards[0].value) == ("Municipalities covered", "326 of 396 (82.3%)")


@pytest.mark.parametrize(
    "value, german, english",
    [
        (0.8207, "82,1 %", "82.1%"),
        (1.0, "100,0 %", "100.0%"),
        (0.0, "0,0 %", "0.0%"),
    ],
)
def test_percentages(value, german, english):
    assert (i18n.format_pct(value), i18n.format_pct(value, "en")) == (german, english)


def test_dates_and_partial_dates():
    assert i18n.format_date(D(2024, 2, 1)) == "1. Februar 2024"
    assert i18n.t("stand", date=i18n.format_date(D(2024, 2, 1))) == "Stand: 1. Februar 2024"
    assert i18n.format_partial("2023", "year", "en") == "2023"
    assert i18n.format_partial("2023-09-08", "day", "en") == "8 September 2023"


def test_every_text_has_both_languages():
    assert all(len(pair) == 2 and all(pair) for pair in i18n.TEXTS.values())
