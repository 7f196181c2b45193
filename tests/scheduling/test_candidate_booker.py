"""The candidate page as the booker serves it: the language it is written in, the data the
script paints from, the static zone files, the no-script fallbacks (zone page, list, change
steps), who cancelled, calendar deeplinks, brand colours, and the script's weight."""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from hireslot.accounts.branding import contrast_ratio
from hireslot.core.languages import CANDIDATE_LANGUAGES
from hireslot.recruiting.models import Candidate
from hireslot.scheduling.candidate_pages import brand_colors
from hireslot.scheduling.candidate_zones import ZONES_DIR, zones_file_name, zones_text
from hireslot.scheduling.models import Interview, SchedulingRequest
from hireslot.scheduling.services import interview_book, scheduling_request_cancel

from .conftest import Company
from .test_candidate_pages import TUESDAY_10, TUESDAY_10_TEXT, book, request_of, text_of, url

STATIC = Path(__file__).resolve().parents[2] / "hireslot" / "scheduling" / "static" / "hireslot"


@pytest.fixture
def token(company: Company) -> str:
    return company.send().link.rsplit("/", 1)[1]


def booker_data(response: object) -> dict[str, object]:
    html = response.content.decode()  # type: ignore[attr-defined]
    match = re.search(r'<script id="booker-data" type="application/json">(.*?)</script>', html)
    assert match, "the page embeds the booker's data"
    return dict(json.loads(match.group(1)))


# --- The zone files -----------------------------------------------------------------------


@pytest.mark.parametrize("language", [code for code, _name in CANDIDATE_LANGUAGES])
def test_the_committed_zone_files_are_current(language: str) -> None:
    committed = (ZONES_DIR / zones_file_name(language)).read_text(encoding="utf-8")
    assert committed == zones_text(language), (
        "stale: run `python manage.py candidate_zones_build` and commit the files"
    )


def test_the_zone_file_lists_places_not_aliases_and_maps_old_names() -> None:
    document = json.loads((ZONES_DIR / "en.json").read_text(encoding="utf-8"))
    ids = {zone[0] for zone in document["zones"]}
    assert {"Europe/Berlin", "Asia/Kolkata", "America/New_York", "UTC"} <= ids
    assert not ids & {"CET", "Cuba", "EST5EDT", "Asia/Calcutta", "US/Pacific"}
    berlin = next(zone for zone in document["zones"] if zone[0] == "Europe/Berlin")
    assert berlin == ["Europe/Berlin", "Central European Time", "Berlin", "Germany", "CET CEST"]
    assert document["aliases"]["Asia/Calcutta"] == "Asia/Kolkata"
    spanish = json.loads((ZONES_DIR / "es.json").read_text(encoding="utf-8"))
    assert ["America/New_York", "hora oriental", "Nueva York", "Estados Unidos", "EST EDT"] in (
        spanish["zones"]
    )


def test_the_booker_script_and_styles_stay_small() -> None:
    files = ("candidate.js", "candidate_head.js", "candidate.css")
    compressed = sum(len(gzip.compress((STATIC / name).read_bytes(), 9)) for name in files)
    assert compressed < 30_000, compressed


# --- What the page embeds and renders -----------------------------------------------------


def test_the_page_embeds_its_first_two_weeks_as_utc_instants_and_no_zone_list(
    company: Company, token: str, client: Client
) -> None:
    response = client.get(url(token), HTTP_ACCEPT_LANGUAGE="en-US")
    html = response.content.decode()

    data = booker_data(response)
    assert TUESDAY_10_TEXT in data["slots"]  # type: ignore[operator]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00Z", s) for s in data["slots"])  # type: ignore[union-attr]
    assert data["zone"] == "America/New_York" and data["zoneFixed"] is False
    assert data["locale"] == "en-US" and data["hourCycle"] == "h12" and data["firstDay"] == 0
    assert data["zonesUrl"] == "/static/hireslot/zones/en.json"
    assert data["interviewer"] == {"name": "Nora", "zone": "America/New_York"}
    assert data["strings"]["when"] == "%(when)s (%(zone)s)"  # type: ignore[index]
    # Without a script: the plain list and a link to the zone page; no 600 options
    assert 'class="no-js"' in html
    assert html.count("<option") == len(CANDIDATE_LANGUAGES)
    assert f'value="{TUESDAY_10_TEXT}"' in html
    assert f'href="/s/{token}/zone?tz=America/New_York"' in html
    assert "10:00\u2009\u2013\u200910:45\u202fAM" in html or "10:00 \u2013 10:45 AM" in html


def test_the_language_comes_from_the_switcher_then_the_candidate_then_the_browser(
    company: Company, token: str, client: Client
) -> None:
    # The browser's language
    german = client.get(url(token), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert '<html lang="de" dir="ltr"' in german.content.decode()
    assert booker_data(german)["locale"] == "de-DE"
    assert booker_data(german)["firstDay"] == 1  # Monday

    # The recruiter's choice for the candidate wins over the browser
    Candidate.objects.filter(pk=company.candidate.pk).update(language="fr")
    assert '<html lang="fr"' in client.get(url(token), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    # The switcher wins over both, and is remembered
    chosen = client.get(url(token, "?lang=es"), HTTP_ACCEPT_LANGUAGE="de")
    assert '<html lang="es"' in chosen.content.decode()
    cookie = chosen.cookies["hireslot_language"]
    assert cookie.value == "es" and cookie["path"] == "/s/" and cookie["httponly"]
    assert '<html lang="es"' in client.get(url(token)).content.decode()

    # Arabic is written right to left
    arabic = client.get(url(token, "?lang=ar")).content.decode()
    assert '<html lang="ar" dir="rtl"' in arabic

    # An unknown choice falls back quietly
    assert client.get(url(token, "?lang=xx")).status_code == 200


def test_booking_records_the_page_language_and_todays_zone_name(
    company: Company, token: str, client: Client
) -> None:
    client.get(url(token, "?lang=es"))

    response = book(client, token, tz="Asia/Calcutta")

    assert response.status_code == 303
    assert response["Location"].startswith(f"/s/{token}?tz=Asia/Kolkata&done=booked")
    interview = Interview.objects.get()
    assert interview.candidate_language == "es"
    assert interview.candidate_time_zone == "Asia/Kolkata"


def test_the_chosen_clock_travels_with_the_booking(
    company: Company, token: str, client: Client
) -> None:
    response = book(client, token, tz="America/New_York", hc="h23")

    assert response["Location"] == f"/s/{token}?tz=America/New_York&hc=h23&done=booked"
    page = text_of(client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en-US"))
    assert "10:00\u2009\u2013\u200910:45 (Eastern Time)" in page or "10:00 \u2013 10:45" in page


# --- After booking: links, change steps, cancelled states ---------------------------------


@pytest.fixture
def booked(company: Company, token: str, client: Client) -> Interview:
    assert book(client, token, tz="Europe/Berlin").status_code == 303
    return Interview.objects.get()


def test_the_calendar_links_carry_utc_times(booked: Interview, token: str, client: Client) -> None:
    html = client.get(url(token)).content.decode()
    links = dict(re.findall(r'href="(https://[^"/]+)[^"]*?\?([^"]+)"', html.replace("&amp;", "&")))

    google = parse_qs(links["https://calendar.google.com"])
    assert google["dates"] == ["20260303T150000Z/20260303T154500Z"]
    assert google["text"] == [f"Manager Interview with {booked.organization.name}"]
    assert booked.conference_url in google["details"][0]
    outlook = parse_qs(links["https://outlook.live.com"])
    assert outlook["startdt"] == ["2026-03-03T15:00:00Z"]
    assert outlook["enddt"] == ["2026-03-03T15:45:00Z"]
    assert outlook["rru"] == ["addevent"]
    assert urlsplit(f"https://x/?{links['https://outlook.office.com']}").query


def test_the_booked_page_shows_the_zone_booked_in(
    booked: Interview, token: str, client: Client
) -> None:
    page = text_of(client.get(url(token), HTTP_ACCEPT_LANGUAGE="en-US"))

    assert "Tuesday, March 3, 2026, 4:00\u2009\u2013\u20094:45\u202fPM" in page or (
        "4:00 \u2013 4:45 PM" in page
    )
    assert "(Central European Time)" in page


def test_cancel_asks_first_without_a_script(booked: Interview, token: str, client: Client) -> None:
    step = client.get(url(token, "?change=cancel"))

    html = step.content.decode()
    assert "Cancel your interview?" in text_of(step)
    assert f'action="/s/{token}/cancel"' in html
    assert 'name="reason"' in html
    assert "Keep my interview" in text_of(step)
    booked.refresh_from_db()
    assert booked.status == Interview.Status.SCHEDULED


def test_after_the_candidate_cancels_the_page_says_they_did(
    booked: Interview, token: str, client: Client
) -> None:
    response = client.post(url(token, "/cancel"), {"tz": "Europe/Berlin", "reason": "Sorry"})
    assert response["Location"] == f"/s/{token}?tz=Europe/Berlin&done=cancelled"

    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en-US")

    assert page.status_code == 200
    text = text_of(page)
    assert "You cancelled your interview" in text
    assert "It was planned for Tuesday, March 3, 2026" in text


def test_after_the_company_cancels_the_page_says_the_company_did(
    booked: Interview, token: str, client: Client, company: Company
) -> None:
    scheduling_request_cancel(request=request_of(token), actor=company.recruiter)

    text = text_of(client.get(url(token)))

    assert f"{company.organization.name} cancelled this interview" in text
    assert "You cancelled" not in text


def test_after_a_candidate_cancels_the_link_stays_open_for_a_new_time(
    booked: Interview, token: str, client: Client
) -> None:
    client.post(url(token, "/cancel"), {"tz": "Europe/Berlin"})
    assert SchedulingRequest.objects.get(pk=booked.request_id).status == (
        SchedulingRequest.Status.OPENED
    )

    page = client.get(url(token, "?tz=Europe/Berlin&done=cancelled"))

    assert page.status_code == 200
    assert "You cancelled your interview" in text_of(page)
    assert "You can pick a new time below." in text_of(page)
    assert f'action="/s/{token}/book"' in page.content.decode()


def test_reschedule_marks_the_current_time(booked: Interview, token: str, client: Client) -> None:
    page = client.get(url(token, "?change=reschedule"))

    assert booker_data(page)["current"] == TUESDAY_10_TEXT
    assert f'action="/s/{token}/reschedule"' in page.content.decode()


def test_an_interview_inside_the_cutoff_cannot_be_changed_here(
    company: Company, token: str, client: Client
) -> None:
    soon = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # two hours from the conftest's now
    interview_book(request=request_of(token), start=soon, candidate_time_zone="UTC")

    page = client.get(url(token, "?change=cancel"))

    assert "can no longer be changed here" in text_of(page)
    assert f'action="/s/{token}/cancel"' not in page.content.decode()
    assert soon - timedelta(hours=1) < TUESDAY_10


# --- The no-script zone page --------------------------------------------------------------


def test_the_zone_page_finds_zones_by_city_country_and_abbreviation(
    company: Company, token: str, client: Client
) -> None:
    by_city = text_of(client.get(url(token, "/zone?q=tokyo")))
    by_abbreviation = client.get(url(token, "/zone?q=CET&tz=UTC")).content.decode()
    nothing = text_of(client.get(url(token, "/zone?q=Atlantis")))

    assert "Japan Standard Time — Tokyo (GMT+9)" in by_city or "Tokyo" in by_city
    assert f'href="/s/{token}?tz=Europe/Berlin"' in by_abbreviation
    assert "No time zone matches “Atlantis”." in nothing
    assert client.get(url(token, "/zone?tz=Mars/Base")).status_code == 400


# --- Brand colours ------------------------------------------------------------------------


@pytest.mark.parametrize("accent", ["#2563eb", "#facc15", "#0a7c55", "#ffffff", "#000000"])
def test_text_on_the_accent_and_accent_links_are_readable(accent: str) -> None:
    colors = brand_colors(accent)

    assert contrast_ratio(colors.accent, colors.ink) >= 4.5 or accent == "#facc15"
    assert contrast_ratio(colors.accent, colors.ink) >= 3
    assert contrast_ratio(colors.link, "#ffffff") >= 4.5


def test_a_light_accent_gets_dark_text() -> None:
    assert brand_colors("#facc15").ink == "#111827"
    assert brand_colors("#1e3a8a").ink == "#ffffff"
    assert brand_colors("#facc15").link == "#1d4ed8"
