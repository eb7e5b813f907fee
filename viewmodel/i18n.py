"""Words and number formats of the dashboard: German by default, English on request.

Pure: no Streamlit. German formats follow DIN 5008 usage ("1. Februar 2024",
"18.190.422", "82,1 %"); English ones the usual British forms.
"""

from __future__ import annotations

import datetime as dt

from loaders.dates import ENGLISH_MONTHS, format_german, format_partial_german, period_bounds
from loaders.numbers import format_decimal, format_int  # noqa: F401 - re-exported for the dashboard

# key -> (German, English); ``{name}`` fields are filled by :func:`t`.
TEXTS = {
    "title": ("#sicherimDienst – Abdeckungsatlas NRW", "#sicherimDienst – coverage atlas NRW"),
    "page_atlas": ("Abdeckungsatlas", "Coverage atlas"),
    "page_register": ("Mitgliederregister", "Membership register"),
    "stand": ("Stand: {date}", "As of: {date}"),
    "loading": ("Lade Grenzen und Beitritte …", "Loading boundaries and accessions …"),
    "language": ("English", "English"),
    "stichtag": ("Stichtag", "Reference date"),
    "stichtag_input": ("Stichtag als Datum", "Reference date as a date"),
    "jump": ("Springen zu", "Jump to"),
    "jump_placeholder": ("Regionaler Beitritt …", "Regional accession …"),
    "jump_item": ("Beitritt RB {region} – {date}", "Accession RB {region} – {date}"),
    "play": ("Abspielen", "Play"),
    "pause": ("Anhalten", "Pause"),
    "step": ("Schritt", "Step"),
    "step_mode": ("Schrittweite", "Step"),
    "day_more": ("Springen, Schritt", "Jump, step"),
    "step_month": ("Monat für Monat", "Month by month"),
    "step_event": ("Ereignis für Ereignis", "Event by event"),
    "step_help": (
        "„Ereignis“: jeder Tag, an dem sich die Abdeckung ändert, darunter die fünf regionalen Beitritte.",
        "“Event”: every day on which coverage changes, including the five regional accessions.",
    ),
    "level": ("Ebene", "Level"),
    "level_gemeinde": ("Gemeinde", "Municipality"),
    "level_kreis": ("Kreis", "District"),
    "level_regierungsbezirk": ("Regierungsbezirk", "Administrative region"),
    "region": ("Region", "Region"),
    "region_nrw": ("Nordrhein-Westfalen", "North Rhine-Westphalia"),
    "region_item": ("RB {name}", "RB {name}"),
    "compare": ("Vergleich mit", "Compare with"),
    "compare_help": (
        "Optional: Was seit diesem Datum neu ist, wird hervorgehoben.",
        "Optional: what is new since this date is highlighted.",
    ),
    # What the page tells about the view it shows (loaders.viewstate.Notice; dashboard.session's transitions).
    "notice_bad_value": (
        "Ungültiger Wert für „{name}“: {value} – Standard „{fallback}“ verwendet.",
        "Invalid value for “{name}”: {value} – default “{fallback}” used.",
    ),
    "notice_no_value": ("kein", "none"),
    "notice_swapped": (
        "Vergleichsdatum {compare} lag nach dem Stichtag {date}: die beiden Daten wurden getauscht.",
        "Comparison date {compare} lay after the reference date {date}: the two dates were swapped.",
    ),
    "notice_same_day": (
        "Vergleichsdatum gleich dem Stichtag: kein Vergleich.",
        "Comparison date equal to the reference date: no comparison.",
    ),
    "notice_compare_cleared": (
        "Vergleich mit {compare} aufgehoben: er läge nach dem Stichtag {date}.",
        "Comparison with {compare} removed: it would lie after the reference date {date}.",
    ),
    "notice_compare_cleared_same": (
        "Vergleich mit {compare} aufgehoben: er fiele auf den Stichtag.",
        "Comparison with {compare} removed: it would fall on the reference date.",
    ),
    "notice_compare_refused": (
        "Vergleichsdatum {compare} nicht übernommen: es muss vor dem Stichtag {date} liegen.",
        "Comparison date {compare} not applied: it must lie before the reference date {date}.",
    ),
    # What the page announces politely after a change (viewmodel.describe.announcement).
    "announce_step": (
        "{date}: {covered} von {total} Gemeinden abgedeckt, davon {documented}.",
        "{date}: {covered} of {total} municipalities covered, of which {documented}.",
    ),
    "announce_step_documented": (
        "{date}: {covered} von {total} Gemeinden belegt abgedeckt.",
        "{date}: {covered} of {total} municipalities with documented coverage.",
    ),
    "announce_play": ("Wiedergabe läuft.", "Playback running."),
    "announce_paused": ("Wiedergabe angehalten.", "Playback paused."),
    "announce_ended": ("Wiedergabe beendet.", "Playback ended."),
    "announce_found": ("{name} gefunden: {status}.", "{name} found: {status}."),
    "announce_hits": ("{n} Treffer: {names}.", "{n} matches: {names}."),
    "announce_hits_more": (
        "{n} Treffer, die ersten {shown}: {names}.",
        "{n} matches, the first {shown}: {names}.",
    ),
    "evidence": ("Evidenz", "Evidence"),
    # The evidence filter's name: sidebar, subtitle, description, every export (viewmodel.text.filter_label).
    "evidence_all": ("alle Beitritte, auch abgeleitete", "all accessions, including inferred"),
    "evidence_documented": ("nur belegte Beitritte", "documented accessions only"),
    "basemap": ("Grundkarte", "Base map"),
    "basemap_none": ("keine", "none"),
    "basemap_osm": ("OpenStreetMap", "OpenStreetMap"),
    "basemap_basemapde": ("basemap.de grau", "basemap.de grey"),
    # figures (the cards; under "documented accessions only" the documented coverage)
    "fig_gemeinden": ("Gemeinden abgedeckt", "Municipalities covered"),
    "fig_population": ("Bevölkerung abgedeckt", "Population covered"),
    "fig_area": ("Fläche abgedeckt", "Area covered"),
    "fig_kreise": ("Kreise im Netzwerk", "Districts in the network"),
    "fig_rbs": ("Bezirksregierungen im Netzwerk", "Regional governments in the network"),
    "fig_gemeinden_documented": ("Belegt abgedeckte Gemeinden", "Municipalities with documented coverage"),
    "fig_population_documented": ("Belegt abgedeckte Bevölkerung", "Population with documented coverage"),
    "fig_area_documented": ("Belegt abgedeckte Fläche", "Area with documented coverage"),
    "fig_kreise_documented": ("Kreise im Netzwerk (belegt)", "Districts in the network (documented)"),
    "fig_rbs_documented": (
        "Bezirksregierungen im Netzwerk (belegt)",
        "Regional governments in the network (documented)",
    ),
    "of": ("{n} von {total}", "{n} of {total}"),
    "of_share": ("{n} von {total} ({share})", "{n} of {total} ({share})"),
    "delta_since": ("seit {date}", "since {date}"),
    "pp": ("{value} Pp.", "{value} pp"),
    "fig_documented": (
        "Davon belegt – Gemeinden: {gemeinden} · Einwohner: {population} · Kreise: {kreise} · "
        "Bezirksregierungen: {rbs}",
        "Documented – municipalities: {gemeinden} · inhabitants: {population} · "
        "districts: {kreise} · regional governments: {rbs}",
    ),
    "fig_detail": (
        "{population} von {population_total} Einwohnern · {area} von {area_total} km²",
        "{population} of {population_total} inhabitants · {area} of {area_total} km²",
    ),
    "fig_gemeinden_help": (
        "Eine Gemeinde ist abgedeckt, wenn eine Mitgliedschaft von ihr selbst oder ihrem Kreis belegt oder "
        "aus einem regionalen Beitritt abgeleitet ist.",
        "A municipality is covered when a membership of its own or of its district is documented or "
        "inferred from a regional accession.",
    ),
    "fig_gemeinden_documented_help": (
        "Gezählt nur, wo eine Quelle die Gemeinde selbst oder ihren Kreis nennt.",
        "Counted only where a source names the municipality itself or its district.",
    ),
    "fig_kreise_help": (
        "Kreise und kreisfreie Städte mit eigener Mitgliedschaft.",
        "Districts and district-free cities with a membership of their own.",
    ),
    # -- the vocabulary of statuses and evidence (viewmodel/text.py puts it together; one for the
    #    tooltip, legend, description, tables, exports, members list and CLI)
    # evidence of a coverage or a membership
    "ev_one_by_one": ("einzeln belegt", "documented one by one"),
    "ev_via_kreis": ("über den Kreis belegt", "documented through its district"),
    "ev_both": ("einzeln und über den Kreis belegt", "documented one by one and through districts"),
    "ev_inferred": ("abgeleitet", "inferred"),
    "ev_derived": (
        "abgeleitet aus dem Beitritt des RB {region} ({date})",
        "inferred from the accession of RB {region} ({date})",
    ),
    "ev_derived_short": ("abgeleitet aus dem Beitritt des RB {region}", "inferred from the accession of RB {region}"),
    "ev_derived_many": ("abgeleitet aus regionalen Beitritten", "inferred from regional accessions"),
    "ev_partly": ("teils belegt, teils {derived}", "partly documented, partly {derived}"),
    "event_of": ("Beitritt des RB {region}, {date}", "accession of RB {region}, {date}"),
    "event_short": ("Beitritt des RB {region}", "accession of RB {region}"),
    "events_many": ("regionale Beitritte", "regional accessions"),
    # how documented coverage is documented, where the status already says "belegt"
    "how_own": ("einzeln", "one by one"),
    "how_via_kreis": ("über den Kreis", "through the district"),
    "how_both": ("einzeln und über den Kreis", "one by one and through districts"),
    "how_counts": ("{own} einzeln, {via} über den Kreis", "{own} one by one, {via} through their district"),
    # a Gemeinde
    "st_member": ("Mitglied – {evidence}", "member – {evidence}"),
    "st_covered": ("abgedeckt – {evidence}", "covered – {evidence}"),
    "st_covered_via_kreis": ("über den Kreis abgedeckt – {evidence}", "covered via its district – {evidence}"),
    "st_undated_own": (
        "Mitgliedschaft einzeln belegt, Datum unbekannt",
        "membership documented one by one, date unknown",
    ),
    "st_undated_kreis": (
        "Mitgliedschaft über den Kreis belegt, Datum unbekannt",
        "membership documented through its district, date unknown",
    ),
    "st_not_yet": ("noch nicht abgedeckt", "not yet covered"),
    "st_not_documented": ("nicht einzeln belegt", "not documented one by one"),
    "st_inferred_besides": ("abgeleitet abgedeckt seit {date} ({event})", "inferred as covered since {date} ({event})"),
    # a Kreis, a Regierungsbezirk, the Land: the coverage of its Gemeinden
    "st_full": ("alle Gemeinden abgedeckt", "all municipalities covered"),
    "st_partial": ("einzelne Gemeinden abgedeckt", "some municipalities covered"),
    "st_none": ("keine Gemeinde abgedeckt", "no municipality covered"),
    "st_full_documented": ("alle Gemeinden belegt", "all municipalities documented"),
    "st_partial_documented": ("einzelne Gemeinden belegt", "some municipalities documented"),
    "st_none_documented": ("keine Gemeinde einzeln belegt", "no municipality documented one by one"),
    "st_undated": ("Mitgliedschaft belegt, Datum unbekannt", "membership documented, date unknown"),
    # under "documented only": what an inference covers besides
    "st_all_inferred": ("alle abgeleitet abgedeckt ({event})", "all inferred as covered ({event})"),
    "st_some_inferred": ("einzelne abgeleitet abgedeckt ({event})", "some inferred as covered ({event})"),
    "st_others_inferred": ("die übrigen abgeleitet abgedeckt ({event})", "the others inferred as covered ({event})"),
    "st_some_others_inferred": (
        "einzelne weitere abgeleitet abgedeckt ({event})",
        "some others inferred as covered ({event})",
    ),
    "st_new": ("neu seit {date}", "new since {date}"),
    # the legend: one entry per fill and hatching a view shows
    "lg_member_documented": ("Mitglied – einzeln belegt", "member – documented one by one"),
    "lg_member_inferred": (
        "schraffiert: abgedeckt – abgeleitet aus einem regionalen Beitritt",
        "hatched: covered – inferred from a regional accession",
    ),
    "lg_via_kreis_documented": ("abgedeckt – über den Kreis belegt", "covered – documented through its district"),
    "lg_via_kreis_inferred": (
        "schraffiert: über den Kreis abgedeckt – abgeleitet",
        "hatched: covered via its district – inferred",
    ),
    "lg_full_documented": ("alle Gemeinden abgedeckt – belegt", "all municipalities covered – documented"),
    "lg_full_inferred": (
        "schraffiert: alle Gemeinden abgedeckt – ganz oder teils abgeleitet",
        "hatched: all municipalities covered – wholly or partly inferred",
    ),
    "lg_partial_documented": ("einzelne Gemeinden abgedeckt – belegt", "some municipalities covered – documented"),
    "lg_partial_inferred": (
        "schraffiert: einzelne Gemeinden abgedeckt – ganz oder teils abgeleitet",
        "hatched: some municipalities covered – wholly or partly inferred",
    ),
    "legend_muted": ("außerhalb der Auswahl", "outside the selection"),
    "level_plural_gemeinde": ("Gemeinden", "Municipalities"),
    "level_plural_kreis": ("Kreise und kreisfreie Städte", "Districts and district-free cities"),
    "level_plural_regierungsbezirk": ("Regierungsbezirke", "Administrative regions"),
    # counts of Gemeinden with their documented part
    "count_documented_none": ("0 belegt", "0 documented"),
    "count_one_by_one": ("{n} einzeln belegt", "{n} documented one by one"),
    "count_via_kreis": ("{n} über den Kreis belegt", "{n} documented through their district"),
    "count_both": ("{n} belegt: {how}", "{n} documented: {how}"),
    "count_covered": ("{n} von {total}, davon {documented}", "{n} of {total}, of which {documented}"),
    "count_documented": ("{n} von {total}{how}", "{n} of {total}{how}"),
    "count_rest": ("{n} nicht einzeln belegt", "{n} not documented one by one"),
    "count_rest_all_inferred": (
        "{n} nicht einzeln belegt, abgeleitet abgedeckt",
        "{n} not documented one by one, inferred as covered",
    ),
    "count_documented_short": ("{n} belegt", "{n} documented"),
    "count_rest_inferred": (
        "{n} nicht einzeln belegt, davon {inferred} abgeleitet abgedeckt",
        "{n} not documented one by one, of which {inferred} inferred as covered",
    ),
    "count_timeline": (
        "{n} von {total}, davon {documented} belegt",
        "{n} of {total}, of which {documented} documented",
    ),
    # tooltips
    "tip_kreis": ("Kreis", "District"),
    "tip_kreisfrei": ("kreisfreie Stadt", "district-free city"),
    "tip_status": ("Status", "Status"),
    "tip_since": ("Abgedeckt seit", "Covered since"),
    "tip_certain_by": ("{date}, belegt spätestens am {proven}", "{date}, documented by {proven} at the latest"),
    "tip_evidence": ("Evidenz", "Evidence"),
    "tip_source": ("Quelle", "Source"),
    "tip_source_event": ("Quelle des regionalen Beitritts", "Source of the regional accession"),
    "tip_gemeinden": ("Gemeinden abgedeckt", "Municipalities covered"),
    "tip_gemeinden_documented": ("Gemeinden belegt abgedeckt", "Municipalities with documented coverage"),
    "tip_also": ("Außerdem", "Also"),
    "also_gemeinde": (
        "eigener Beitritt seit {date} – einzeln belegt ({source})",
        "own accession since {date} – documented one by one ({source})",
    ),
    "also_kreis": (
        "Beitritt des Kreises seit {date} – über den Kreis belegt ({source})",
        "the district's accession since {date} – documented through the district ({source})",
    ),
    "body_gemeinde": ("Gemeinde selbst", "The municipality itself"),
    "body_kreis": ("Kreisverwaltung", "District administration"),
    "body_kreisfrei": ("Stadtverwaltung", "City administration"),
    "body_regierungsbezirk": ("Bezirksregierung", "Regional government"),
    "body_member": ("Mitglied seit {date} – {evidence}", "member since {date} – {evidence}"),
    "body_none": ("kein Beitritt bekannt", "no accession known"),
    "body_inferred_besides": (
        "abgeleitet Mitglied seit {date} ({event})",
        "inferred as a member since {date} ({event})",
    ),
    "body_undated": (
        "Mitglied, Beitrittsdatum unbekannt – einzeln belegt; an keinem Stichtag mitgezählt",
        "member, date of accession unknown – documented one by one; counted at no reference date",
    ),
    "kreis_undated": (
        "Kreis {name}: Mitglied, Beitrittsdatum unbekannt – einzeln belegt",
        "District {name}: member, date of accession unknown – documented one by one",
    ),
    "date_unknown": ("Datum unbekannt", "date unknown"),
    # figures line, Datenstand and data version (screen, exports and CLI)
    "figures_line": (
        "Abgedeckt: {covered} von {total} Gemeinden · davon {documented} · {population} Einwohner",
        "Covered: {covered} of {total} municipalities · of which {documented} · {population} inhabitants",
    ),
    "figures_line_documented": (
        "Belegt abgedeckt: {covered} von {total} Gemeinden{how}{rest} · {population} Einwohner",
        "Documented coverage: {covered} of {total} municipalities{how}{rest} · {population} inhabitants",
    ),
    "datenstand": ("Datenstand: {date} ({source})", "Data as of: {date} ({source})"),
    "datenstand_none": ("Datenstand: keine datierte Quelle", "Data as of: no dated source"),
    "beyond_datenstand": (
        "Die Zahlen zum {date} sind die des Datenstands ({as_of}): spätere Beitritte oder Austritte sind "
        "nicht erfasst.",
        "The figures for {date} are those of the data as of {as_of}: later accessions or exits are not recorded.",
    ),
    "data_version": ("Datenversion {version} (Prüfsumme {digest})", "Data version {version} (checksum {digest})"),
    "statewide": ("Landesweite Mitglieder", "Statewide members"),
    "statewide_note": (
        "Organisationen ohne eigenes Gebiet (Verbände, Gewerkschaften, Landtag, Gerichte …): "
        "sie decken keine Gemeinde ab und stehen deshalb nicht auf der Karte.",
        "Organisations without a territory of their own (associations, unions, parliament, "
        "courts …): they cover no municipality and are therefore not on the map.",
    ),
    "subtitle_compare": ("Vergleich mit {date}", "compared with {date}"),
    "default_title": ("#sicherimDienst – Beitritte in NRW", "#sicherimDienst – accessions in NRW"),
    "alt_timeline": (
        "Verlauf von {start} bis {end}: Anteil der abgedeckten Gemeinden und der Bevölkerung, "
        "darunter die veröffentlichten Netzwerkgrößen; Ereignisse: {events}. Stand am Ende:",
        "Timeline from {start} to {end}: share of municipalities and population covered, below it "
        "the published network sizes; events: {events}. At the end:",
    ),
    "alt_animation": (
        "Animation vom {start} bis zum {end}, ein Bild je Schritt; das letzte Bild:",
        "Animation from {start} to {end}, one picture per step; the last picture:",
    ),
    "default_title_region": (
        "#sicherimDienst – Beitritte im Regierungsbezirk {name}",
        "#sicherimDienst – accessions in the {name} administrative region",
    ),
    "millions": ("{value} Mio.", "{value} m"),
    "panel_before": ("{date} (vorher)", "{date} (before)"),
    # the description of a view (the map's text alternative, the exports' alt text)
    "describe_what": (
        "Karte: {level}, {region}, Stand {date} ({evidence}).",
        "Map: {level}, {region}, as of {date} ({evidence}).",
    ),
    "describe_covered": (
        "Abgedeckt sind {covered} von {total} Gemeinden mit {population} Einwohnern, "
        "davon {documented} und {inferred} abgeleitet.",
        "{covered} of {total} municipalities with {population} inhabitants are covered, "
        "of which {documented} and {inferred} inferred.",
    ),
    "describe_covered_documented": (
        "Belegt abgedeckt sind {covered} von {total} Gemeinden mit {population} Einwohnern{how}.",
        "{covered} of {total} municipalities with {population} inhabitants have documented coverage{how}.",
    ),
    "describe_partial": ("Nur teilweise abgedeckt: {names}.", "Only partly covered: {names}."),
    "describe_partial_documented": ("Nur teilweise belegt: {names}.", "Only partly documented: {names}."),
    "describe_none": ("Ohne abgedeckte Gemeinde: {names}.", "No municipality covered: {names}."),
    "describe_none_documented": (
        "Ohne einzeln belegte Gemeinde: {names}.",
        "No municipality documented one by one: {names}.",
    ),
    "describe_all_full": ("Alle {level} sind vollständig abgedeckt.", "All {level} are fully covered."),
    "describe_all_full_documented": (
        "Alle {level} sind vollständig belegt abgedeckt.",
        "All {level} have documented coverage throughout.",
    ),
    "describe_gemeinden_missing": (
        "{n} Gemeinden sind noch nicht abgedeckt, darunter {names}.",
        "{n} municipalities are not yet covered, among them {names}.",
    ),
    "describe_gemeinden_not_documented": (
        "{n} Gemeinden sind nicht einzeln belegt{inferred}, darunter {names}.",
        "{n} municipalities are not documented one by one{inferred}, among them {names}.",
    ),
    "describe_inferred_beside": (", davon {n} abgeleitet abgedeckt", ", of which {n} inferred as covered"),
    "describe_undated": (
        "Mitgliedschaft belegt, Datum unbekannt: {names}.",
        "Membership documented, date unknown: {names}.",
    ),
    "describe_change": (
        "Seit dem {date}: {before} → {after} abgedeckte Gemeinden{new}.",
        "Since {date}: {before} → {after} municipalities covered{new}.",
    ),
    "describe_change_documented": (
        "Seit dem {date}: {before} → {after} belegt abgedeckte Gemeinden{new}.",
        "Since {date}: {before} → {after} municipalities with documented coverage{new}.",
    ),
    "describe_new_gemeinden": ("; {n} Gemeinden neu", "; {n} municipalities new"),
    "describe_new_gemeinde": ("; 1 Gemeinde neu", "; 1 municipality new"),
    "describe_new_units": ("Neu: {names}.", "New: {names}."),
    "describe_new_unit": (
        "{name} ({n} von {total} Gemeinden abgedeckt)",
        "{name} ({n} of {total} municipalities covered)",
    ),
    "describe_new_unit_documented": (
        "{name} ({n} von {total} Gemeinden belegt abgedeckt)",
        "{name} ({n} of {total} municipalities with documented coverage)",
    ),
    "describe_hatched": (
        "Schraffiert: Abdeckung aus einem regionalen Beitritt abgeleitet, nicht einzeln belegt.",
        "Hatched: coverage inferred from a regional accession, not documented one by one.",
    ),
    "describe_no_hatched": (
        "Jede gezeigte Abdeckung ist belegt, einzeln oder über den Kreis.",
        "Every coverage shown is documented, one by one or through the district.",
    ),
    "describe_more": ("und {n} weitere", "and {n} more"),
    "panel_after": ("{date} (nachher)", "{date} (after)"),
    # timeline
    "timeline": ("Verlauf", "Over time"),
    "series_gemeinden": ("Gemeinden abgedeckt", "Municipalities covered"),
    "series_gemeinden_documented": ("davon belegt", "of which documented"),
    "series_population": ("Bevölkerung abgedeckt", "Population covered"),
    "series_documented": ("Gemeinden belegt", "Municipalities documented"),
    "axis_share": ("Anteil", "Share"),
    "axis_date": ("Datum", "Date"),
    "axis_count": ("Anzahl (mindestens)", "Count (at least)"),
    "sizes_title": (
        "Veröffentlichte Netzwerkgröße – Mindestwerte („mehr als …“)",
        "Published network size – lower bounds (“more than …”)",
    ),
    "series_people": ("Personen (Multiplikatoren)", "People (multipliers)"),
    "series_organisations": ("Organisationen", "Organisations"),
    "series": ("Reihe", "Series"),
    "event": ("Ereignis", "Event"),
    # the keyboard-operable charts (webparts/chart_component)
    "chart_coverage_title": ("Abdeckung im Verlauf", "Coverage over time"),
    "chart_frame_coverage": ("Diagramm: Abdeckung im Verlauf", "Chart: coverage over time"),
    "chart_frame_sizes": ("Diagramm: veröffentlichte Netzwerkgröße", "Chart: published network size"),
    "chart_summary_coverage": (
        "Treppenlinien von {start} bis {end}: {series}. Am {last}: {values}. "
        "Senkrechte Linien: Beitritte der Regierungsbezirke, Stichtag und Vergleichsdatum.",
        "Step lines from {start} to {end}: {series}. On {last}: {values}. "
        "Vertical lines: the Regierungsbezirke's accessions, the reference date and the compare date.",
    ),
    "chart_summary_sizes": (
        "{n} veröffentlichte Werte von {start} bis {end}: {series}. Zuletzt ({last}): {values}.",
        "{n} published values from {start} to {end}: {series}. Latest ({last}): {values}.",
    ),
    # The Datenstand on the charts (loaders.provenance): its rule, the band after it, its point.
    "chart_as_of": ("Datenstand: {date}", "Data as of: {date}"),
    "chart_after_as_of": ("Keine Angaben nach dem Datenstand", "No information after the data's date"),
    "chart_after_as_of_short": ("keine Angaben", "no information"),
    "chart_as_of_point": (
        "Datenstand: jüngste datierte Quelle; danach keine Angaben",
        "Data as of this day: the latest dated source; no information after it",
    ),
    "alt_timeline_as_of": (
        "Die Linien enden am Datenstand, {date}; danach keine Angaben.",
        "The lines end at the data's date, {date}; no information after it.",
    ),
    "chart_summary_as_of": (
        "Datenstand: {date} (jüngste datierte Quelle: {source}).",
        "Data as of {date} (the latest dated source: {source}).",
    ),
    # Published sizes without a date: listed under the sizes chart, never placed on a day.
    "chart_undated": ("Ohne Datum veröffentlicht (nicht eingezeichnet):", "Published without a date (not plotted):"),
    "undated_both": (
        "{people} Personen, {organisations} Organisationen",
        "{people} people, {organisations} organisations",
    ),
    "undated_people": ("{people} Personen", "{people} people"),
    "undated_orgs": ("{organisations} Organisationen", "{organisations} organisations"),
    "chart_summary_undated": (
        "Dazu {n} Werte ohne Datum, nicht eingezeichnet: {values}.",
        "Besides, {n} values without a date, not plotted: {values}.",
    ),
    "chart_keys": (
        "Pfeiltasten links und rechts gehen die Werte durch, Pos1 und Ende springen zum ersten und letzten, "
        "Escape verlässt das Diagramm.",
        "Left and right arrow keys walk the values, Home and End jump to the first and the last, "
        "Escape leaves the chart.",
    ),
    "chart_left": ("Diagramm verlassen.", "Left the chart."),
    "chart_events": ("Beitritte der Regierungsbezirke", "Accessions of the Regierungsbezirke"),
    # members table
    "members": ("Mitglieder am Stichtag", "Members at the reference date"),
    "members_count": (
        "{n} Organisationen (Personen werden nie einzeln aufgeführt) – davon {documented} einzeln belegt, "
        "{inferred} abgeleitet.",
        "{n} organisations (people are never listed individually) – of which {documented} documented one by one, "
        "{inferred} inferred.",
    ),
    "members_open": ("Liste zeigen", "Show the list"),
    "search": ("Suche (Name, Schlüssel, Quelle)", "Search (name, key, source)"),
    "download": ("CSV herunterladen", "Download CSV"),
    "col_name": ("Name", "Name"),
    "col_kind": ("Art", "Kind"),
    "col_key": ("Schlüssel", "Key"),
    "col_joined": ("Beitritt", "Joined"),
    "col_joined_iso": ("Beitrittsdatum (ISO)", "Date joined (ISO)"),
    "col_evidence": ("Evidenz", "Evidence"),
    "col_evidence_filter": ("Evidenzfilter", "Evidence filter"),
    "col_data_as_of": ("Datenstand", "Data as of"),
    "col_data_as_of_source": ("Quelle des Datenstands", "Source of the data as of"),
    "col_data_version": ("Datenversion", "Data version"),
    "col_source": ("Quelle", "Source"),
    "col_note": ("Anmerkung", "Note"),
    "undated": (
        "Dokumentierte Mitglieder ohne bekanntes Beitrittsdatum ({n})",
        "Documented members with unknown accession date ({n})",
    ),
    "undated_note": (
        "Diese Mitgliedschaften sind belegt, aber nicht datiert; sie werden an keinem Stichtag mitgezählt.",
        "These memberships are documented but undated; they are counted at no reference date.",
    ),
    "inferred_note": (
        "Abgeleitet = aus dem Beitritt eines ganzen Regierungsbezirks geschlossen, nicht einzeln belegt.",
        "Inferred = concluded from the accession of a whole administrative region, not documented one by one.",
    ),
    "attribution": ("Daten", "Data"),
    # press export
    "export": ("Export für die Presse", "Press export"),
    "export_intro": (
        # No inline code: it alone would make the page load a monospace web font.
        "Karte, Animation und Daten genau dieser Ansicht – dieselben Dateien wie mit dem Befehl "
        "„sid-atlas export“. Jede Datei wird erst beim Klick erzeugt.",
        "Map, animation and data of exactly this view – the same files as the command “sid-atlas export”. "
        "Each file is made when you click.",
    ),
    "export_open": ("Dateien für diese Ansicht anbieten", "Offer files for this view"),
    "export_title": ("Titel", "Title"),
    "export_preset": ("Format", "Size"),
    "preset_16x9": ("16:9 – 1920 × 1080 px", "16:9 – 1920 × 1080 px"),
    "preset_square": ("Quadrat – 1080 × 1080 px", "Square – 1080 × 1080 px"),
    "preset_a4": ("A4 hoch – 300 dpi", "A4 portrait – 300 dpi"),
    "preset_a4-landscape": ("A4 quer – 300 dpi", "A4 landscape – 300 dpi"),
    "export_map": ("Karte", "Map"),
    "export_html": ("HTML (interaktiv)", "HTML (interactive)"),
    "export_animation": ("Animation bis zum Stichtag", "Animation up to the reference date"),
    "export_from": ("Animation ab", "Animation from"),
    "export_frames": (
        "{n} Bilder, Schrittweite wie beim Abspielen ({step}).",
        "{n} frames, step as in playback ({step}).",
    ),
    "export_no_animation": (
        "„Animation ab“ muss vor dem Stichtag liegen; höchstens {n} Bilder.",
        "“Animation from” must lie before the reference date; at most {n} frames.",
    ),
    "export_no_leaflet": (
        "HTML braucht Leaflet: bitte einmal `make install` ausführen.",
        "HTML needs Leaflet: run `make install` once.",
    ),
    "export_no_mp4": (
        "MP4 braucht das Paket imageio-ffmpeg (`make install`).",
        "MP4 needs the imageio-ffmpeg package (`make install`).",
    ),
    "export_data": ("Daten der Ansicht", "Data of the view"),
    # accessibility: map keyboard and words, table views, Erklärung, feedback
    "map_label": (
        "Karte der Abdeckung. Pfeiltasten: Gebiete nacheinander ansehen, Pos1 und Ende: erstes "
        "und letztes; Eingabe: Angaben zum Gebiet öffnen; Plus und Minus: zoomen; Escape: Auswahl beenden.",
        "Coverage map. Arrow keys: go through the areas one by one, Home and End: first and last; "
        "Enter: open the area's details; plus and minus: zoom; Escape: end the selection.",
    ),
    "map_details_close": ("Schließen", "Close"),
    "map_failed": ("Karte konnte nicht geladen werden", "The map could not be loaded"),
    "map_position": ("{i} von {n}", "{i} of {n}"),
    "map_left": ("Auswahl beendet.", "Selection ended."),
    "map_legend": ("Legende", "Legend"),
    "map_zoom_in": ("Vergrößern", "Zoom in"),
    "map_zoom_out": ("Verkleinern", "Zoom out"),
    "map_description": ("Kartenbeschreibung", "Map description"),
    "skip_to_table": ("Zur Tabelle", "To the table"),
    "map_table": ("Tabelle zur Karte", "Table of the map"),
    "map_table_note": (
        "Jedes Gebiet der Karte mit Status, Evidenz, Datum und Quelle; jede Spaltenüberschrift ist eine Schaltfläche, "
        "die nach dieser Spalte sortiert (auch mit der Tastatur).",
        "Every area of the map with status, evidence, date and source; every column heading is a button that sorts "
        "by its column (with the keyboard too).",
    ),
    "map_table_open": ("Tabelle zeigen", "Show the table"),
    "col_status": ("Status", "Status"),
    "col_since": ("Abgedeckt seit", "Covered since"),
    "col_gemeinden": ("Gemeinden abgedeckt", "Municipalities covered"),
    "col_population": ("Einwohner abgedeckt", "Inhabitants covered"),
    "col_body": ("Eigene Mitgliedschaft", "Own membership"),
    "col_date": ("Datum", "Date"),
    "place_search": ("Ort auf der Karte suchen", "Find a place on the map"),
    "place_none": ("Kein Ort dieser Ansicht heißt „{query}“.", "No place of this view is called “{query}”."),
    "place_hits": ("{n} Orte gefunden – welcher?", "{n} places found – which one?"),
    "place_hits_more": (
        "{n} Orte gefunden, die ersten {shown} – welcher? (Genauer suchen zeigt die übrigen.)",
        "{n} places found, the first {shown} – which one? (A more exact name finds the others.)",
    ),
    "day_back": ("Vortag", "Day before"),
    "day_forward": ("Folgetag", "Day after"),
    "timeline_table": ("Verlauf als Tabelle", "Over time as a table"),
    "sizes_table": ("Netzwerkgröße als Tabelle", "Network size as a table"),
    "sizes_published": ("Wortlaut", "As published"),
    "page_accessibility": ("Barrierefreiheit", "Accessibility"),
    "feedback": ("Barriere oder Fehler melden", "Report a barrier or an error"),
    "feedback_intro": (
        "Etwas ist nicht zugänglich, falsch oder fehlt? Schreiben Sie uns – die Nachricht wird "
        "mit der Adresse dieser Ansicht gespeichert.",
        "Something is not accessible, wrong or missing? Tell us – the message is stored with the address of this view.",
    ),
    "feedback_message": ("Ihre Nachricht", "Your message"),
    "feedback_contact": ("Kontakt für Rückfragen (freiwillig)", "Contact for questions (optional)"),
    "feedback_send": ("Absenden", "Send"),
    "feedback_thanks": ("Danke! Ihre Meldung Nr. {id} ist gespeichert.", "Thank you! Your report no. {id} is stored."),
    "feedback_empty": ("Bitte eine Nachricht eingeben.", "Please enter a message."),
    "feedback_failed": (
        "Die Meldung konnte nicht gespeichert werden. Bitte später noch einmal versuchen.",
        "The report could not be stored. Please try again later.",
    ),
    "export_subtitle": ("Unterzeile (optional)", "Subtitle (optional)"),
    "export_note": ("Quellenhinweis (optional)", "Source note (optional)"),
    "export_title_too_long": (
        "Der Titel passt in diesem Format nicht in drei Zeilen: bitte kürzen oder ein breiteres Format wählen.",
        "The title does not fit into three lines at this size: shorten it or choose a wider size.",
    ),
    "export_timeline": ("Verlauf als Grafik", "Timeline as a picture"),
    "export_timeline_button": ("{fmt} (Verlauf)", "{fmt} (timeline)"),
    "export_datapackage_note": (
        "Open-Data-Paket: CSV je Ebene (UTF-8, Semikolon, AGS und ARS), GeoJSON, "
        "Beitritte mit Quellen, datapackage.json, DCAT-AP.de (metadata.ttl), CITATION.cff.",
        "Open-data package: CSV per level (UTF-8, semicolon, AGS and ARS), GeoJSON, "
        "accessions with sources, datapackage.json, DCAT-AP.de (metadata.ttl), CITATION.cff.",
    ),
    "export_package_release": (
        "Das Open-Data-Paket ist zur Veröffentlichung bereit: Herausgeber {name} ({url}), Kontakt {email}, "
        "Adresse der Dateien {base} (aus der Konfiguration).",
        "The open-data package is ready to publish: publisher {name} ({url}), contact {email}, "
        "address of the files {base} (from the configuration).",
    ),
    "export_package_draft": (
        "Das Open-Data-Paket ist ein Entwurf, jede Datei ist so gekennzeichnet: es fehlen {missing}. "
        "Herausgeber, Kontakt und Adresse legt der Betrieb fest (`[publisher]` in `.streamlit/secrets.toml` "
        "oder `SID_ATLAS_PUBLISHER_NAME` …, siehe docs/configuration.md).",
        "The open-data package is a draft, and every file says so: {missing} missing. "
        "Publisher, contact and address are set by the operators (`[publisher]` in `.streamlit/secrets.toml` "
        "or `SID_ATLAS_PUBLISHER_NAME` …, see docs/configuration.md).",
    ),
    "export_package_invalid": (
        "Die Herausgeber-Angaben der Konfiguration sind ungültig; das Open-Data-Paket ist deshalb ein Entwurf.",
        "The publisher settings of the configuration are invalid, so the open-data package is a draft.",
    ),
    "export_package_draft_button": ("Open-Data-Paket, Entwurf (ZIP)", "Open-data package, draft (ZIP)"),
    "export_alt_download": ("Alt-Text (TXT)", "Alt text (TXT)"),
    "export_alt_show": ("Alt-Text anzeigen und kopieren", "Show and copy the alt text"),
    "export_alt_help": (
        "Die Bildbeschreibung steckt auch in PNG, SVG und PDF; für das CMS hier kopieren.",
        "The description is embedded in PNG, SVG and PDF too; copy it here for your CMS.",
    ),
    "embed": ("Einbetten", "Embed"),
    "embed_intro": (
        "Code für ein iframe mit genau dieser Karte – für eine Behörden- oder Redaktionsseite.",
        "Code for an iframe with exactly this map – for an authority's or newsroom's page.",
    ),
    "embed_open": ("Einbettcode zeigen", "Show the embed code"),
    "embed_kind": ("Art", "Kind"),
    "embed_interactive": ("interaktiv (zoombar, Tooltips)", "interactive (zoom, tooltips)"),
    "embed_static": ("statisches Bild", "static picture"),
    "embed_stand": ("Stand", "Date"),
    "embed_fixed": ("fest: {date}", "fixed: {date}"),
    "embed_newest": ("immer der neueste Stand", "always the newest"),
    "embed_height": ("Höhe (px)", "Height (px)"),
    "embed_frame_note": (
        "Die einbettende Seite muss in SID_ATLAS_FRAME_ANCESTORS stehen (Betrieb).",
        "The embedding site must be listed in SID_ATLAS_FRAME_ANCESTORS (operations).",
    ),
    "embed_preview": ("Vorschau", "Preview"),
    "embed_full_atlas": ("Zum vollständigen Atlas", "Open the full atlas"),
    # -- the register page (dashboard/register_page.py, register_view.py) --
    "statement_title": ("Erklärung zur Barrierefreiheit", "Accessibility statement"),
    "reg_opening": ("Öffne das Register …", "Opening the register …"),
    "reg_none": (
        "Es ist kein Register eingerichtet: das Dashboard zeigt die mitgelieferten Beitrittsdaten. "
        "Einrichten mit `SID_ATLAS_REGISTER_URL` oder `[connections.register]` in "
        "`.streamlit/secrets.toml` (siehe docs/configuration.md).",
        "No register is set up: the dashboard shows the shipped accession data. "
        "Set one up with `SID_ATLAS_REGISTER_URL` or `[connections.register]` in "
        "`.streamlit/secrets.toml` (see docs/configuration.md).",
    ),
    "reg_unreachable": (
        "Register nicht erreichbar. Bitte später noch einmal versuchen.",
        "The register cannot be reached. Please try again later.",
    ),
    "reg_sign_in": ("Anmelden", "Sign in"),
    "reg_sign_out": ("Abmelden", "Sign out"),
    "reg_signed_in": ("Angemeldet als {who}", "Signed in as {who}"),
    "reg_not_editor": (
        "Angemeldet als {who}, aber nicht als Bearbeiter:in eingetragen (`[register] editors` in secrets.toml).",
        "Signed in as {who}, but not listed as an editor (`[register] editors` in secrets.toml).",
    ),
    "reg_no_server": (
        "Bearbeiten ist hier abgeschaltet: die Anmeldung braucht den Server von `sid-atlas serve` (oder `make run`).",
        "Editing is switched off here: signing in needs the server of `sid-atlas serve` (or `make run`).",
    ),
    "reg_sign_in_link": ("Anmelden zum Bearbeiten", "Sign in to edit"),
    "reg_sign_in_note": (
        "Die Anmeldung gilt {hours} Stunden und nur in diesem Browser.",
        "A sign-in lasts {hours} hours, and only in this browser.",
    ),
    "reg_read_only": (
        "Bearbeiten ist nicht eingerichtet: das Register ist schreibgeschützt.",
        "Editing is not set up: the register is read-only.",
    ),
    "reg_expired": (
        "Die Anmeldung ist abgelaufen oder beendet: nichts gespeichert. Bitte neu anmelden.",
        "The sign-in has expired or ended: nothing saved. Please sign in again.",
    ),
    "reg_viewer_note": (
        "Nur angemeldete Bearbeiter:innen können das Register ändern.",
        "Only signed-in editors can change the register.",
    ),
    "reg_lockouts": ("Gesperrte Anmeldungen", "Locked sign-ins"),
    "reg_lockouts_note": (
        "Nach {n} Fehlversuchen ist ein Name oder eine Adresse gesperrt, bis die Sperre aufgehoben wird "
        "oder eine Stunde lang kein Versuch kam.",
        "After {n} failed attempts a name or an address is locked until the lock is lifted "
        "or an hour has passed without an attempt.",
    ),
    "reg_lock_kind": ("Art", "Kind"),
    "reg_lock_value": ("Wert", "Value"),
    "reg_lock_failures": ("Fehlversuche", "Failed attempts"),
    "reg_lock_account": ("Name", "Name"),
    "reg_lock_address": ("Adresse", "Address"),
    "reg_unlock": ("Sperren aufheben", "Lift the locks"),
    "reg_unlocked": ("Alle Sperren aufgehoben.", "All locks lifted."),
    "reg_nothing_saved": ("Nichts gespeichert – {message}", "Nothing saved – {message}"),
    "reg_failure": (
        "Das Register meldet einen Fehler; nichts wurde gespeichert. ({kind})",
        "The register reports an error; nothing was saved. ({kind})",
    ),
    "reg_unreadable": (
        "„{name}“ lässt sich nicht als Tabelle lesen: {kind}: {error}",
        "“{name}” cannot be read as a table: {kind}: {error}",
    ),
    "reg_import": ("Partnerliste importieren", "Import a partner list"),
    "reg_import_note": (
        "CSV oder XLSX, höchstens {mb} MB. Jede Zeile wird zuerst geprüft; erst „Übernehmen“ speichert – "
        "alle verwendbaren Zeilen auf einmal. Zeilen, die Aufmerksamkeit brauchen, werden nicht übernommen.",
        "CSV or XLSX, at most {mb} MB. Every row is checked first; only “Commit” saves – all usable rows "
        "at once. Rows that need attention are not taken over.",
    ),
    "reg_upload": ("Partnerliste", "Partner list"),
    "reg_too_large": (
        "Die Datei „{name}“ ist {size} MB groß; erlaubt sind höchstens {mb} MB.",
        "The file “{name}” is {size} MB; at most {mb} MB are allowed.",
    ),
    "reg_wrong_type": ("„{name}“ ist keine CSV- oder XLSX-Datei.", "“{name}” is not a CSV or XLSX file."),
    "reg_checking": ("Prüfe die Liste …", "Checking the list …"),
    "reg_read_as": ("Gelesen als {format}", "Read as {format}"),
    "reg_read_csv": (
        " (Kodierung {encoding}, Trennzeichen „{delimiter}“)",
        " (encoding {encoding}, delimiter “{delimiter}”)",
    ),
    "reg_header_row": ("{how}, Kopfzeile in Zeile {row}.", "{how}, header in row {row}."),
    "reg_personal_ignored": (
        "Personenbezogene Spalten nicht gelesen: {columns}",
        "Personal columns not read: {columns}",
    ),
    "reg_unknown_ignored": ("Unbekannte Spalten ignoriert: {columns}", "Unknown columns ignored: {columns}"),
    "reg_counts": (
        "{rows} Zeilen: {insert} neu, {update} geändert, {unchanged} unverändert",
        "{rows} rows: {insert} new, {update} changed, {unchanged} unchanged",
    ),
    "reg_counts_attention_1": (
        "; 1 Zeile braucht Aufmerksamkeit und wird nicht übernommen",
        "; 1 row needs attention and is not taken over",
    ),
    "reg_counts_attention": (
        "; {n} Zeilen brauchen Aufmerksamkeit und werden nicht übernommen",
        "; {n} rows need attention and are not taken over",
    ),
    "reg_commit": ("Übernehmen", "Commit"),
    "reg_commit_nothing": ("Die Liste ändert nichts am Register.", "The list changes nothing in the register."),
    "reg_saving": ("Speichere …", "Saving …"),
    "reg_committed": (
        "Import Nr. {id} gespeichert: {insert} neu, {update} geändert, {unchanged} unverändert.",
        "Import no. {id} saved: {insert} new, {update} changed, {unchanged} unchanged.",
    ),
    "reg_edit": ("Mitgliedschaft bearbeiten oder beenden", "Edit or end a membership"),
    "reg_body": ("Körperschaft", "Body"),
    "reg_body_placeholder": ("Körperschaft wählen …", "Choose a body …"),
    "reg_joined": ("Beitritt", "Joined"),
    "reg_joined_help": (
        "z. B. 01.02.2024, Februar 2024 oder 2024; leer: unbekannt",
        "e.g. 01.02.2024, Februar 2024 or 2024; empty: unknown",
    ),
    "reg_left": ("Austritt – beendet die Mitgliedschaft", "Left – ends the membership"),
    "reg_left_help": ("leer: weiterhin Mitglied", "empty: still a member"),
    "reg_source": ("Quelle", "Source"),
    "reg_note": ("Bemerkung", "Note"),
    "reg_quote": ("Zitat aus der Quelle", "Quote from the source"),
    "reg_quote_help": (
        "Die Worte der Quelle, die den Beitritt belegen – wörtlich, ohne Anführungszeichen; leer lassen, "
        "wenn kein Wortlaut vorliegt.",
        "The source's words that document the accession – verbatim, without quotation marks; leave empty "
        "when no wording is at hand.",
    ),
    "reg_read_on": ("Quelle gelesen am", "Source read on"),
    "reg_read_on_help": ("Wann die Quelle gelesen wurde, z. B. 12.2026.", "When the source was read, e.g. 2026-12."),
    "reg_not_before": ("Frühestens", "Not before"),
    "reg_not_before_help": (
        "Nur bei unbekanntem oder ungenauem Datum: der früheste Tag, den die Quelle zulässt. "
        "Gezählt wird der Beitritt ab diesem Tag nicht.",
        "Only for an unknown or partial date: the earliest day the source allows. "
        "The accession is not counted from that day.",
    ),
    "reg_save_edit": ("Änderung speichern", "Save the change"),
    "reg_bad_date": ("Datum nicht lesbar: {error}", "Date not readable: {error}"),
    "reg_edited": ("{name}: Änderung gespeichert (Eintrag Nr. {entry}).", "{name}: change saved (entry no. {entry})."),
    "reg_undo_choice": ("Import oder Bearbeitung rückgängig machen", "Undo an import or an edit"),
    "reg_entry_placeholder": ("Eintrag wählen …", "Choose an entry …"),
    "reg_entry_item": ("Nr. {id} · {action} {file}", "No. {id} · {action} {file}"),
    "reg_undo": ("Rückgängig machen", "Undo"),
    "reg_undone": (
        "Eintrag Nr. {entry} rückgängig gemacht (Eintrag Nr. {undo}).",
        "Entry no. {entry} undone (entry no. {undo}).",
    ),
    "reg_history": ("Verlauf", "History"),
    "reg_history_note": (
        "Jeder Import, jede Bearbeitung und jedes Rückgängigmachen, das neueste zuerst.",
        "Every import, edit and undo, newest first.",
    ),
    "reg_history_entry": ("Änderungen eines Eintrags anzeigen", "Show the changes of an entry"),
    "reg_feedback": ("Meldungen: Barrieren und Fehler", "Reports: barriers and errors"),
    "reg_feedback_failed": ("Die Meldungen sind gerade nicht lesbar.", "The reports cannot be read right now."),
    "reg_feedback_none": ("Keine Meldungen.", "No reports."),
    "reg_members": ("Mitglieder im Register", "Members in the register"),
    "reg_members_note": (
        "{n} Organisationen mit dokumentiertem Beitritt (Personen werden nie einzeln geführt).",
        "{n} organisations with a documented accession (persons are never listed one by one).",
    ),
    "reg_search": ("Suche (Name, Schlüssel, Quelle)", "Search (name, key, source)"),
    "reg_download": ("Register als CSV herunterladen", "Download the register as CSV"),
    # what a change does, what a history entry is (register_view)
    "reg_action_insert": ("neu", "new"),
    "reg_action_update": ("geändert", "changed"),
    "reg_action_unchanged": ("unverändert", "unchanged"),
    "reg_action_delete": ("gelöscht", "deleted"),
    "reg_action_none": ("nicht übernommen", "not taken over"),
    "reg_entry_import": ("Import", "Import"),
    "reg_entry_edit": ("Bearbeitung", "Edit"),
    "reg_entry_undo": ("Rückgängig", "Undo"),
    "reg_status_ok": ("ok", "ok"),
    "reg_status_ambiguous": ("mehrdeutig", "ambiguous"),
    "reg_status_unknown": ("unbekannt", "unknown"),
    "reg_status_invalid": ("ungültig", "invalid"),
    "reg_status_duplicate": ("doppelt", "duplicate"),
    # register tables' columns
    "reg_col_row": ("Zeile", "Row"),
    "reg_col_status": ("Status", "Status"),
    "reg_col_action": ("Übernahme", "Action"),
    "reg_col_listed": ("Name in der Liste", "Name in the list"),
    "reg_col_match": ("Zuordnung", "Match"),
    "reg_col_key": ("Schlüssel", "Key"),
    "reg_col_left": ("Austritt", "Left"),
    "reg_col_notes": ("Hinweise", "Notes"),
    "reg_col_candidates": ("Kandidaten", "Candidates"),
    "reg_col_no": ("Nr.", "No."),
    "reg_col_time": ("Zeit (UTC)", "Time (UTC)"),
    "reg_col_file": ("Datei / Körperschaft", "File / body"),
    "reg_col_by": ("Von", "By"),
    "reg_col_deleted": ("gelöscht", "deleted"),
    "reg_col_undone": ("rückgängig gemacht", "undone"),
    "reg_undone_by": ("durch Nr. {id}", "by no. {id}"),
    "reg_undo_of": ("Eintrag {id}: {file}", "Entry {id}: {file}"),
    "reg_col_change": ("Änderung", "Change"),
    "reg_col_fields": ("Felder", "Fields"),
    "reg_col_view": ("Ansicht", "View"),
    "reg_col_report": ("Meldung", "Report"),
    "reg_col_contact": ("Kontakt", "Contact"),
    "reg_col_lang": ("Sprache", "Language"),
    # editors' accounts
    "reg_sign_in_idle": (
        "Die Anmeldung gilt nur in diesem Browser; sie endet nach {idle} Minuten ohne Aktivität, "
        "spätestens nach {hours} Stunden.",
        "A sign-in holds only in this browser; it ends after {idle} minutes without activity, "
        "after {hours} hours at the latest.",
    ),
    "reg_no_accounts": (
        "Bearbeiten ist nicht eingerichtet: das Register ist schreibgeschützt. "
        "Konten für Bearbeiter:innen legt der Betrieb mit `sid-atlas editors add NAME` an.",
        "Editing is not set up: the register is read-only. "
        "Operators create editors' accounts with `sid-atlas editors add NAME`.",
    ),
    "reg_editing_off": (
        "Bearbeiten ist abgeschaltet, bis die Anmeldung auf eigene Konten umgestellt ist; das Register bleibt lesbar.",
        "Editing is switched off until sign-in uses individual accounts; the register stays readable.",
    ),
    "reg_lock_editor": ("Konto", "Account"),
    # feedback bounded
    "feedback_repeated": (
        "Danke! Diese Meldung liegt schon vor (Nr. {id}); wir haben sie noch einmal gezählt.",
        "Thank you! This report is known already (no. {id}); we have counted it once more.",
    ),
    "feedback_contact_hidden": (
        "Die Kontaktangabe enthält unsichtbare Steuerzeichen ({chars}); bitte ohne sie eingeben.",
        "The contact contains invisible control characters ({chars}); please enter it without them.",
    ),
    "feedback_cap_session": (
        "Aus diesem Browser sind schon {n} Meldungen gekommen. Weitere bitte per E-Mail (siehe Erklärung zur Barrierefreiheit).",
        "This browser has sent {n} reports already. Please send more by e-mail (see the accessibility statement).",
    ),
    "feedback_cap_address": (
        "Von Ihrem Anschluss sind heute schon viele Meldungen gekommen. Bitte morgen wieder oder per E-Mail.",
        "Many reports have come from your connection today. Please try again tomorrow or send an e-mail.",
    ),
    "feedback_cap_day": (
        "Heute sind schon sehr viele Meldungen eingegangen. Bitte morgen wieder oder per E-Mail.",
        "Very many reports have arrived today. Please try again tomorrow or send an e-mail.",
    ),
    "reg_col_repeats": ("Anzahl", "Count"),
    "reg_col_last": ("Zuletzt (UTC)", "Last (UTC)"),
    "reg_feedback_page": ("Seite", "Page"),
    "reg_feedback_range": (
        "Meldungen {first}–{last} von {total}, neueste zuerst; gleiche Meldungen sind zusammengefasst und gezählt.",
        "Reports {first}–{last} of {total}, newest first; identical reports are folded and counted.",
    ),
    "page_error": (
        "Hier ist ein Fehler aufgetreten. Bitte laden Sie die Seite neu. Wenn es wieder passiert, "
        "nennen Sie uns bitte die Fehlernummer {id}.",
        "Something went wrong here. Please reload the page. If it happens again, please tell us the error number {id}.",
    ),
    # -- the page „Leichte Sprache“ (BITV NRW § 17 (2); dashboard/leichte_sprache.py) --
    "page_easy_language": ("Leichte Sprache", "Leichte Sprache (easy-to-read German)"),
    "easy_english_note": (
        "Diese Seite erklärt den Atlas in Leichter Sprache (BITV NRW § 17). Es gibt sie nur auf Deutsch.",
        "This page explains the atlas in *Leichte Sprache*: easy-to-read German, with short sentences and every "
        "hard word explained. The accessibility ordinance of North Rhine-Westphalia (BITV NRW § 17) asks for "
        "these explanations in German: what the site contains, how to use it and what its accessibility "
        "statement says. The page is in German only; the atlas and the accessibility statement are in English "
        "too. A video in German Sign Language (DGS) is to have its place on the German page.",
    ),
    "easy_read_german": ("Die Seite auf Deutsch lesen", "Read the page in German (Leichte Sprache)"),
    "statement_dgs_missing": (
        "Ein Video in Deutscher Gebärdensprache (DGS) gibt es noch nicht; sein Platz ist auf derselben Seite.",
        "There is no video in German Sign Language (DGS) yet; its place is on the same page.",
    ),
    "statement_dgs_ready": (
        "Auf derselben Seite erklärt ein Video in Deutscher Gebärdensprache (DGS) mit Untertiteln die Anwendung.",
        "On the same page a video in German Sign Language (DGS) with captions explains the application.",
    ),
    # -- the page's chrome (dashboard/chrome.py, dashboard/datatable.py, dashboard/page.js) --
    "page_title_atlas": ("#sicherimDienst – Abdeckungsatlas", "#sicherimDienst – coverage atlas"),
    # the tables (dashboard/datatable.py): a sort button's announcement, the download of a table's rows
    "table_sorted": ("Sortiert nach {column}, {order}.", "Sorted by {column}, {order}."),
    "table_ascending": ("aufsteigend", "ascending"),
    "table_descending": ("absteigend", "descending"),
    "table_csv": ("{table} als CSV herunterladen", "Download {table} as CSV"),
    "map_table_caption": ("{units} – {region}, Stand {date}", "{units} – {region}, as of {date}"),
    "timeline_caption": (
        "Abdeckung an jedem Tag, an dem sie sich ändert: Gemeinden und Einwohner",
        "Coverage on every day it changes: municipalities and population",
    ),
    "sizes_caption": ("Veröffentlichte Größe des Netzwerks", "Published size of the network"),
    "members_caption": ("Organisationen im Netzwerk am {date} ({n})", "Organisations in the network on {date} ({n})"),
    "members_list": ("Mitgliederliste", "Members list"),
    "timeline_name": ("Verlaufstabelle", "Timeline table"),
    "sizes_name": ("Tabelle der Netzwerkgröße", "Network size table"),
    "reg_report_caption": ("Prüfung der Datei, Zeile für Zeile", "The file's check, row by row"),
    "reg_changes_caption": ("Änderungen des Eintrags {id}", "Changes of entry {id}"),
    "reg_members_caption": ("Mitglieder im Register ({n})", "Members in the register ({n})"),
    # -- a session that moved to another replica (dashboard/failover.py) --
    "reconnected": (
        "Die Verbindung wurde wiederhergestellt; die Ansicht wurde aus der Adresse neu geladen.",
        "The connection was restored; the view was reloaded from the address.",
    ),
}

KIND_LABELS = {
    "gemeinde": ("Gemeinde", "municipality"),
    "kreis": ("Kreis", "district"),
    "bezirksregierung": ("Bezirksregierung", "regional government"),
    "landesbehoerde": ("Landesbehörde", "state authority"),
    "parlament": ("Parlament", "parliament"),
    "gericht": ("Gericht", "court"),
    "verband": ("Verband", "association"),
    "gewerkschaft": ("Gewerkschaft", "trade union"),
    "sozialversicherung": ("Sozialversicherung", "social insurance"),
    "sonstige": ("Sonstige", "other"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def t(key: str, lang: str = "de", **fields: object) -> str:
    """The text for ``key`` in ``lang`` with ``fields`` filled in.

    Examples
    --------
    >>> t("of", n=70, total=70)
    '70 von 70'
    >>> t("stand", "en", date="1 February 2024")
    'As of: 1 February 2024'
    """
    text = _pick(TEXTS[key], lang)
    return text.format(**fields) if fields else text


def kind_label(kind: str, lang: str = "de") -> str:
    """German (or English) name of an accession kind; unknown kinds are shown as they are."""
    return _pick(KIND_LABELS[kind], lang) if kind in KIND_LABELS else kind


def format_pct(share: float, lang: str = "de") -> str:
    """A share (0…1) as a percentage with one decimal.

    Examples
    --------
    >>> format_pct(0.82070), format_pct(0.82070, "en")
    ('82,1 %', '82.1%')
    """
    number = format_decimal(100 * share, 1, lang)
    return f"{number}%" if lang == "en" else f"{number} %"


def format_signed(value: float, digits: int = 0, lang: str = "de") -> str:
    """A change with an explicit sign; zero is "±0".

    Examples
    --------
    >>> format_signed(70), format_signed(-3), format_signed(0), format_signed(17.74, 1)
    ('+70', '-3', '±0', '+17,7')
    """
    if round(value, digits) == 0:
        return "±0"
    text = format_decimal(value, digits, lang) if digits else format_int(value, lang)
    return text if text.startswith("-") else "+" + text


def format_date(day: dt.date, lang: str = "de") -> str:
    """A day written out.

    Examples
    --------
    >>> format_date(dt.date(2024, 2, 1)), format_date(dt.date(2024, 2, 1), "en")
    ('1. Februar 2024', '1 February 2024')
    """
    if lang == "en":
        return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"
    return format_german(day)


def format_partial(text: str, precision: str, lang: str = "de") -> str:
    """A partial date at its precision (day, month, year or unknown).

    Examples
    --------
    >>> format_partial("2023-09", "month"), format_partial("2023-09", "month", "en")
    ('September 2023', 'September 2023')
    >>> format_partial("", "unknown", "en")
    'date unknown'
    """
    if lang != "en":
        return format_partial_german(text, precision)
    if precision == "unknown" or not text:
        return t("date_unknown", lang)
    bounds = period_bounds(text, precision)
    if bounds is None:  # not a date at its precision
        return t("date_unknown", lang)
    first, _ = bounds
    if precision == "day":
        return format_date(first, lang)
    if precision == "month":
        return f"{ENGLISH_MONTHS[first.month - 1]} {first.year}"
    return str(first.year)


# Streamlit's own words on the pages, by the script bundle that holds them -> {key: (German, English)}.
# dashboard/chrome.py, the one place that applies this table, turns each into a choice by the page's
# language (``<html lang>``, which dashboard/page.js keeps), so one bundle serves both views; React-aria's
# fields follow the same language through their locale (dashboard.chrome.LOCALES). A key is the bundle's
# JavaScript template literal as it is spelled there, ending the key: `…` (the whole literal), `…${ (its text
# before a placeholder) or }…${ (between two); ${…} inside stands for one placeholder, which {0}, {1} … put
# back. Source text before the literal narrows the key to where it is shown ("aria-label":`Sidebar`).
# The English is ours where Streamlit's speaks to a developer. Every key must be found in the installed
# Streamlit (tests/unit/test_chrome.py; the server refuses to start otherwise): docs/streamlit-upgrade.md.
FRONTEND: dict[str, dict[str, tuple[str, str]]] = {
    "index": {
        # the page's frame
        "`Skip to main content`": ("Zum Inhalt springen", "Skip to main content"),
        '"aria-label":`Sidebar`': ("Seitenleiste", "Sidebar"),
        "`Collapse sidebar`": ("Seitenleiste einklappen", "Collapse sidebar"),
        "`Expand sidebar`": ("Seitenleiste ausklappen", "Expand sidebar"),
        '"aria-label":`Running...`': ("Die Seite wird aktualisiert …", "The page is updating …"),
        "`Stopping...`": ("Wird angehalten …", "Stopping …"),
        "`Stopping...`:`Stop`": ("Anhalten", "Stop"),
        "`Please wait...`": ("Bitte warten …", "Please wait …"),
        # an address that names no page
        "`Page not found`": ("Seite nicht gefunden", "Page not found"),
        "`You have requested page /${…}, but no corresponding file was found in the app's pages/ directory`": (
            "Die Seite „/{0}“ gibt es nicht",
            "There is no page “/{0}”",
        ),
        "`The page that you have requested does not seem to exist`": (
            "Die angeforderte Seite gibt es nicht",
            "The page you asked for does not exist",
        ),
        "`${…}. Running the app's main page.`": ("{0}. Gezeigt wird die Startseite.", "{0}. Showing the start page."),
        # the connection indicator and the dialog shown when the server is lost
        "`Connection error`": ("Verbindung unterbrochen", "Connection lost"),
        "`Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:`": (
            "Der Server antwortet nicht. Läuft er noch? Neu starten im Terminal mit:",
            "The server does not answer. Is it still running? Restart it in a terminal with:",
        ),
        "`streamlit run yourscript.py`": ("make run", "make run"),
        "`Streamlit server is not responding. Are you connected to the internet?`": (
            "Der Server antwortet nicht. Besteht eine Internetverbindung? Die Seite verbindet sich "
            "von selbst neu, sobald er wieder erreichbar ist.",
            "The server does not answer. Is the network connected? The page reconnects by itself as soon as "
            "the server can be reached again.",
        ),
        "`Connecting`": ("Verbinde", "Connecting"),
        "`Connecting to Streamlit server`": ("Verbindung zum Server wird aufgebaut", "Connecting to the server"),
        "`Unable to connect to Streamlit server`": ("Keine Verbindung zum Server", "Cannot connect to the server"),
        "`Connection lost. Please wait for the app to reconnect, then try again.`": (
            "Verbindung verloren. Bitte warten, bis die Seite wieder verbunden ist, dann erneut versuchen.",
            "Connection lost. Please wait until the page is connected again, then try again.",
        ),
    },
    "StreamlitMarkdown": {
        # a help icon's name ("Hilfe zu Vergleich mit") and a heading's anchor link
        "`Help for ${": ("Hilfe zu ", "Help for "),
        '"aria-label":`Link to heading`': ("Link zu dieser Überschrift", "Link to this heading"),
    },
    "InputInstructions": {
        # under a text field while it is being edited
        "`Press Enter to ${…}`": ("Mit der Eingabetaste {0}", "Press Enter to {0}"),
        "`submit form`": ("absenden", "submit the form"),
        "`apply`": ("übernehmen", "apply"),
        "`Press ${": ("Mit ", "Press "),
        "`Ctrl`": ("Strg", "Ctrl"),
        "}+Enter to ${": ("+Eingabetaste ", "+Enter to "),
    },
    "NumberInput": {
        '"aria-label":`Increment`': ("Erhöhen", "Increase"),
        '"aria-label":`Decrement`': ("Verringern", "Decrease"),
        "`Number is outside the allowed range. Please enter a value between ${…} and ${…}.`": (
            "Die Zahl liegt außerhalb des erlaubten Bereichs. Bitte einen Wert von {0} bis {1} eingeben.",
            "The number is outside the allowed range. Please enter a value from {0} to {1}.",
        ),
        "`Number is below the allowed range. Please enter a value greater than or equal to ${…}.`": (
            "Die Zahl ist zu klein. Bitte mindestens {0} eingeben.",
            "The number is too small. Please enter at least {0}.",
        ),
        "`Number is below the allowed range.`": ("Die Zahl ist zu klein.", "The number is too small."),
        "`Number is above the allowed range. Please enter a value less than or equal to ${…}.`": (
            "Die Zahl ist zu groß. Bitte höchstens {0} eingeben.",
            "The number is too large. Please enter at most {0}.",
        ),
        "`Number is above the allowed range.`": ("Die Zahl ist zu groß.", "The number is too large."),
    },
    "Selectbox": {
        "`No results`": ("Keine Treffer", "No results"),
        '"aria-label":`Clear value`': ("Auswahl löschen", "Clear the selection"),
        '"aria-label":`Open`': ("Liste öffnen", "Open the list"),
    },
    "utils": {
        # a select box's placeholder
        "`Choose an option`": ("Bitte wählen", "Please choose"),
        "`No options to select`": ("Nichts zur Auswahl", "Nothing to choose"),
        # the file uploader's messages (editors)
        "`File must be ${": ("Die Datei darf höchstens ", "The file must be "),
        "} or smaller.`": (" groß sein.", " or smaller."),
        "`${…} files are not allowed.`": (
            "Dateien vom Typ {0} sind nicht erlaubt.",
            "Files of type {0} are not allowed.",
        ),
        "`File size is too small.`": ("Die Datei ist zu klein.", "The file is too small."),
        "`Only one file is allowed.`": ("Nur eine Datei ist erlaubt.", "Only one file is allowed."),
        "`Unexpected error. Please try again.`": (
            "Unerwarteter Fehler. Bitte noch einmal versuchen.",
            "Unexpected error. Please try again.",
        ),
        "`Cancel upload of ${…}`": ("Hochladen von {0} abbrechen", "Cancel the upload of {0}"),
        "`Remove ${…}`": ("{0} entfernen", "Remove {0}"),
        "`Upload failed`": ("Hochladen fehlgeschlagen", "Upload failed"),
    },
    "DateInput": {
        "`Choose date`": ("Datum im Kalender wählen", "Choose a date in the calendar"),
        "`Use arrow keys to navigate dates. Enter to select. Escape to close.`": (
            "Mit den Pfeiltasten von Tag zu Tag, mit der Eingabetaste wählen, mit Escape schließen.",
            "Arrow keys move from day to day, Enter chooses, Escape closes.",
        ),
        '"aria-label":`Clear date`': ("Datum löschen", "Clear the date"),
    },
    "ReorderedSegments": {
        '"aria-label":`Previous month`': ("Vorheriger Monat", "Previous month"),
        '"aria-label":`Next month`': ("Nächster Monat", "Next month"),
        "`**Error**: Date set outside allowed range. Please select a date on or before ${…}.`": (
            "**Fehler**: Das Datum liegt außerhalb des erlaubten Bereichs. Bitte ein Datum bis {0} wählen.",
            "**Error**: the date is outside the allowed range. Please choose a date up to {0}.",
        ),
        "`**Error**: Date set outside allowed range. Please select a date on or after ${…}.`": (
            "**Fehler**: Das Datum liegt außerhalb des erlaubten Bereichs. Bitte ein Datum ab {0} wählen.",
            "**Error**: the date is outside the allowed range. Please choose a date from {0} on.",
        ),
        "`**Error**: Date set outside allowed range. Please select a date between ${…} and ${…}.`": (
            "**Fehler**: Das Datum liegt außerhalb des erlaubten Bereichs. Bitte ein Datum vom {0} bis {1} wählen.",
            "**Error**: the date is outside the allowed range. Please choose a date from {0} to {1}.",
        ),
    },
    "DownloadButton": {
        "`Download failed`": ("Download fehlgeschlagen", "Download failed"),
    },
    "useCopyToClipboard": {
        # the copy button of a code block (the embed code)
        "`Copy to clipboard`": ("In die Zwischenablage kopieren", "Copy to clipboard"),
        "`Copied`": ("Kopiert", "Copied"),
    },
    "FileUploader": {
        "`Drag and drop a file here`": ("Datei hierher ziehen", "Drag and drop a file here"),
        "`${…} per file`": ("höchstens {0} je Datei", "at most {0} per file"),
        "`Upload directories`:`Upload`": ("Datei wählen", "Choose a file"),
    },
}
