"""What HireSlot writes to candidates: multipart emails whose HTML carries the brand and one
button, whose text keeps every link, in the candidate's language and zone."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from icalendar import Calendar
from PIL import Image

from hireslot.accounts.services import organization_brand_update
from hireslot.messaging.models import OutgoingEmail
from hireslot.messaging.services import outgoing_email_deliver
from hireslot.scheduling.invites import interview_invite_ics
from hireslot.scheduling.links import scheduling_link
from hireslot.scheduling.models import Effect, Interview
from hireslot.scheduling.services import (
    effect_run,
    interview_book,
    interview_cancel,
    interview_reschedule,
)

from .conftest import Company

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # 16:00 in Madrid


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def logo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (30, 10), (10, 90, 200)).save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue())


def book(company: Company, *, language: str = "", zone: str = "Europe/Madrid") -> Interview:
    request = company.send().request
    return interview_book(
        request=request, start=TUESDAY_10, candidate_time_zone=zone, candidate_language=language
    )


def invites_of(interview: Interview) -> list[OutgoingEmail]:
    for effect in Effect.objects.filter(interview=interview, kind="candidate_invite"):
        effect_run(effect_id=str(effect.pk))
    return list(OutgoingEmail.objects.filter(kind="interview_invite").order_by("created_at"))


def button(html: str, url: str) -> str:
    """The styled link to ``url`` with visible text (works with images off)."""
    match = re.search(
        rf'<a href="{re.escape(url)}" style="display: inline-block;[^"]*">([^<]+)</a>', html
    )
    assert match, html
    return match.group(0)


def test_the_request_email_keeps_the_recruiters_text_and_adds_the_brand_and_a_button(
    company: Company,
) -> None:
    organization_brand_update(
        organization=company.organization,
        accent_color="#FFD400",
        sender_name="Acme Talent",
        logo=logo(),
    )
    company.organization.refresh_from_db()
    company.application.organization.refresh_from_db()
    template = company.template.email_template
    template.body = (
        "Hi {{ candidate.first_name }} <3,\n\nPick a time: {{ scheduling_link }}.\nThanks!"
    )
    template.save()

    sent = company.send()

    email = OutgoingEmail.objects.get(kind="scheduling_request")
    assert sent.link in email.body_text and "<3" in email.body_text
    html = email.body_html
    # The recruiter's words as written, escaped, the address a link (without the full stop).
    assert "Hi Ada &lt;3," in html
    assert f'<a href="{sent.link}" style="color: #111827;' in html
    assert "Thanks!" in html and "<br>" in html
    # One clear button in the accent, with the readable (dark) text colour on yellow.
    assert "background: #ffd400; color: #111827;" in button(html, sent.link)
    assert ">Choose your interview time</a>" in html
    # The logo from the public endpoint, absolutely addressed, named for images-off readers.
    assert re.search(r'<img src="http[^"]+/branding/acme/logo" alt="Acme acme"', html)
    assert "<style" not in html and "var(--" not in html
    assert 'lang="en" dir="ltr"' in html


def test_without_a_logo_the_header_is_the_organizations_name(company: Company) -> None:
    company.send()

    html = OutgoingEmail.objects.get(kind="scheduling_request").body_html
    assert "<img" not in html
    assert ">Acme acme</span>" in html


def test_the_confirmation_says_what_when_with_whom_and_how_to_join(company: Company) -> None:
    interview = book(company)

    (email,) = invites_of(interview)

    link = scheduling_link(interview.request)
    assert email.subject.startswith("Confirmed: Manager Interview with Acme acme, Tuesday, March 3")
    for part in (email.body_text, email.body_html):
        assert "Hi Ada," in part
        assert "Robotics Engineer" in part
        assert "Nora Alvarez" in part
        assert "4:00" in part and "Central European" in part
        assert interview.conference_url in part
        assert link in part
    assert ">Reschedule or cancel</a>" in button(email.body_html, link)
    assert email.calendar_method == "REQUEST"


def test_emails_and_the_calendar_file_speak_the_language_the_candidate_booked_in(
    company: Company,
) -> None:
    interview = book(company, language="es")

    (email,) = invites_of(interview)

    # Babel's Spanish: "martes, 3 de marzo de 2026, 16:00–16:45 (hora estándar de Europa central)"
    assert "martes, 3 de marzo de 2026" in email.subject
    assert "16:00" in email.body_text and "marzo" in email.body_html
    assert 'lang="es"' in email.body_html
    event = Calendar.from_ical(email.calendar_ics).walk("VEVENT")[0]
    assert "martes, 3 de marzo de 2026" in str(event["DESCRIPTION"])
    assert str(event["SUMMARY"]) == "Manager Interview con Acme acme"


def test_the_recruiters_choice_of_language_counts_when_the_candidate_chose_none(
    company: Company,
) -> None:
    company.candidate.language = "de"
    company.candidate.save()
    interview = book(company, zone="Europe/Berlin")

    (email,) = invites_of(interview)
    ics = interview_invite_ics(
        interview, method="REQUEST", sequence=0, start=interview.start, end=interview.end
    )

    assert "Dienstag, 3. März 2026" in email.subject
    assert 'lang="de"' in email.body_html
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert "Dienstag, 3. März 2026" in str(event["DESCRIPTION"])


def test_right_to_left_languages_get_a_right_to_left_email(company: Company) -> None:
    (email,) = invites_of(book(company, language="ar"))

    assert 'lang="ar" dir="rtl"' in email.body_html


def test_a_moved_interview_says_from_when_to_when(company: Company) -> None:
    interview = book(company)
    invites_of(interview)

    moved = interview_reschedule(
        interview=interview,
        start=TUESDAY_10 + timedelta(hours=1),
        actor=None,
        by_candidate=True,
    )
    _, email = invites_of(moved)

    assert email.subject.startswith("Updated: ")
    assert "has moved from Tuesday, March 3, 2026, 4:00" in email.body_text
    assert "to Tuesday, March 3, 2026, 5:00" in email.body_text
    assert email.calendar_method == "REQUEST"


def test_a_move_by_the_company_carries_their_message_a_candidates_own_reason_is_not_echoed(
    company: Company,
) -> None:
    interview = book(company)
    invites_of(interview)

    interview_reschedule(
        interview=interview,
        start=TUESDAY_10 + timedelta(hours=1),
        actor=company.recruiter,
        by_candidate=False,
        reason="Nora is travelling <sorry>; same room.",
    )
    interview_reschedule(
        interview=interview,
        start=TUESDAY_10 + timedelta(hours=2),
        actor=None,
        by_candidate=True,
        reason="A clash with my exam",
    )
    _, by_company, by_candidate = invites_of(interview)

    assert "Their message: Nora is travelling <sorry>; same room." in by_company.body_text
    assert "Nora is travelling &lt;sorry&gt;; same room." in by_company.body_html
    assert "A clash with my exam" not in by_candidate.body_text
    assert "Their message" not in by_candidate.body_text


def test_a_cancellation_says_who_cancelled(company: Company) -> None:
    by_candidate = book(company)
    invites_of(by_candidate)
    interview_cancel(interview=by_candidate, actor=None, by_candidate=True)
    mine = invites_of(by_candidate)[-1]

    assert mine.subject == "Cancelled: Manager Interview with Acme acme"
    assert "You cancelled your Manager Interview" in mine.body_text
    link = scheduling_link(by_candidate.request)
    assert ">Pick a new time</a>" in button(mine.body_html, link)
    assert mine.calendar_method == "CANCEL"


def test_a_cancellation_by_the_company_says_so_with_their_message(company: Company) -> None:
    interview = book(company)
    invites_of(interview)

    interview_cancel(
        interview=interview,
        actor=company.recruiter,
        by_candidate=False,
        reason="The role was filled <sorry>.",
    )
    email = invites_of(interview)[-1]

    assert "Acme acme cancelled your Manager Interview on Tuesday, March 3" in email.body_text
    assert "The role was filled <sorry>." in email.body_text
    assert "The role was filled &lt;sorry&gt;." in email.body_html
    assert "display: inline-block" not in email.body_html  # nothing to click


def test_the_request_email_goes_out_as_text_and_html_alternatives(
    company: Company, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sent = company.send()

    outgoing_email_deliver(email_id=str(sent.request.email_id))

    (message,) = mail.outbox
    parts = {part.get_content_type(): part for part in message.message().walk()}
    assert message.message().get_content_type() == "multipart/alternative"
    assert sent.link in parts["text/plain"].get_payload(decode=True).decode()
    html = parts["text/html"].get_payload(decode=True).decode()
    assert button(html, sent.link)
