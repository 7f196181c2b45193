"""Sending from the candidate page (see the email, edit it, problems before sending) and the
notification bell."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from hireslot.messaging import bounded_sandbox
from hireslot.messaging.models import (
    EmailTemplate,
    Notification,
    NotificationPreference,
    OutgoingEmail,
)
from hireslot.recruiting.models import Task, TaskTemplate
from hireslot.scheduling.models import Effect, SchedulingRequest
from hireslot.scheduling.services import effect_run, interview_book
from hireslot.scheduling.services.bulk import bulk_send_run, bulk_send_start, stage_template_assign
from tests.scheduling.conftest import Company

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def logged_in(company: Company) -> Client:
    client = Client()
    client.force_login(company.recruiter)
    return client


def test_compose_shows_the_email_as_the_candidate_will_read_it(company: Company) -> None:
    client = logged_in(company)

    html = client.get(
        f"/applications/{company.application.pk}/self-schedule/compose/",
        {"template": str(company.template.pk)},
    ).content.decode()

    assert "Pick a time for your Manager Interview with Acme acme" in html  # rendered subject
    assert "Hi Ada," in html
    assert "{{ candidate.first_name }}" in html  # the editable text keeps its merge fields
    assert "Send Manager Interview" in html


def test_the_stage_template_is_preselected(company: Company) -> None:
    stage_template_assign(
        stage=company.application.current_stage, template=company.template, actor=company.recruiter
    )

    client = logged_in(company)
    page = client.get(f"/candidates/{company.candidate.pk}/").content.decode()
    compose = f"/applications/{company.application.pk}/self-schedule/compose/"
    html = client.get(compose, headers={"HX-Request": "true"}).content.decode()

    assert f'href="{compose}"' in page  # "More actions" → Self-schedule opens the drawer
    assert f'<option value="{company.template.pk}" selected>' in html


def test_problems_are_explained_before_sending(company: Company) -> None:
    company.candidate.email = ""
    company.candidate.save()

    response = logged_in(company).get(
        f"/applications/{company.application.pk}/self-schedule/compose/",
        {"template": str(company.template.pk)},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Ada Okafor has no email address." in html
    assert re.search(r"<button[^>]*disabled[^>]*>Send Manager Interview", html)  # nothing to send
    assert "<html" not in html  # an htmx partial


def test_an_edited_email_goes_out_for_this_send_only(company: Company) -> None:
    client = logged_in(company)

    client.post(
        f"/applications/{company.application.pk}/self-schedule/",
        {
            "template": str(company.template.pk),
            "subject": "Your interview at {{ organization.name }}",
            "body": "Dear {{ candidate.first_name }},\r\nbook here: {{ scheduling_link }}\r\n",
        },
    )

    email = OutgoingEmail.objects.get()
    request = SchedulingRequest.objects.get()
    assert email.subject == "Your interview at Acme acme"
    assert email.body_text.startswith("Dear Ada,\nbook here: http")
    assert request.token_digest not in email.body_text
    company.template.email_template.refresh_from_db()
    assert "Dear" not in company.template.email_template.body


def test_the_bell_counts_unread_and_the_list_marks_them_read(company: Company) -> None:
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )
    for effect in Effect.objects.filter(kind="notification"):
        effect_run(effect_id=str(effect.pk))
    client = logged_in(company)

    assert "Notifications, 1 unread" in client.get("/").content.decode()
    page = client.get("/notifications/").content.decode()
    assert "Ada Okafor booked a Manager Interview for Tuesday, March 3, 2026, 10:00" in page
    assert f"/interviews/{interview.pk}/" in page

    client.post("/notifications/read/")
    assert "Notifications, 0 unread" in client.get("/").content.decode()


def test_email_preferences_decide_which_notifications_also_come_by_email(
    company: Company,
) -> None:
    client = logged_in(company)
    client.post(
        "/notifications/",
        {"email_on_rescheduled": "on", "email_on_cancelled": "on"},  # not on booked
    )
    assert NotificationPreference.objects.get(user=company.recruiter).email_on_booked is False

    interview_book(request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC")
    for effect in Effect.objects.filter(kind="notification"):
        effect_run(effect_id=str(effect.pk))

    assert Notification.objects.filter(recipient=company.recruiter).count() == 1
    notified_by_email = set(
        OutgoingEmail.objects.filter(kind="notification").values_list("to", flat=True)
    )
    assert notified_by_email == {"nora@acme.example"}


def test_the_preferences_page_shows_the_defaults_without_saving_them(company: Company) -> None:
    page = logged_in(company).get("/notifications/").content.decode()

    assert page.count("checked") == 3
    assert not NotificationPreference.objects.filter(user=company.recruiter).exists()


OVER_LIMIT = "Hi {{ candidate.first_name }} {{ 'x' * 10**7 }}"


def test_a_saved_template_over_a_rendering_limit_fails_compose_and_send_cleanly(
    company: Company,
) -> None:
    """Given an email template saved before the limits (so never validated against them),
    when the recruiter opens compose and sends, then compose explains why and the send is
    refused with the reason: no 500, no request, no email."""
    EmailTemplate.objects.filter(pk=company.template.email_template_id).update(body=OVER_LIMIT)
    client = logged_in(company)

    compose = client.get(
        f"/applications/{company.application.pk}/self-schedule/compose/",
        {"template": str(company.template.pk)},
        HTTP_HX_REQUEST="true",
    )
    sent = client.post(
        f"/applications/{company.application.pk}/self-schedule/",
        {"template": str(company.template.pk)},
        follow=True,
    )
    edited = client.post(
        f"/applications/{company.application.pk}/self-schedule/",
        {"template": str(company.template.pk), "subject": "Hi", "body": "{{ 9 ** 9999999 }}"},
        follow=True,
    )

    assert compose.status_code == 200
    assert "a value in it grows past 100,000 characters" in compose.content.decode()
    assert 'class="alert error" role="alert"' in compose.content.decode()
    assert sent.status_code == 200
    assert "a value in it grows past 100,000 characters" in sent.content.decode()
    assert edited.status_code == 200
    assert "a number in it grows past 1,000 digits" in edited.content.decode()
    assert not SchedulingRequest.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_a_bulk_send_over_a_rendering_limit_fails_each_candidate_with_the_reason(
    company: Company,
) -> None:
    EmailTemplate.objects.filter(pk=company.template.email_template_id).update(body=OVER_LIMIT)

    bulk_send = bulk_send_start(
        organization=company.organization,
        template=company.template,
        applications=[company.application],
        sender=company.recruiter,
    )

    bulk_send_run(bulk_send_id=str(bulk_send.pk))

    [item] = bulk_send.items.all()
    assert item.outcome == "failed"
    assert item.reason == (
        "The template cannot be used: a value in it grows past 100,000 characters."
    )
    assert not SchedulingRequest.objects.exists() and not OutgoingEmail.objects.exists()


def test_a_task_template_over_a_limit_fails_its_effect_with_the_reason(
    company: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Far off, so that on a busy machine the expected limit is the one that fires.
    monkeypatch.setattr(bounded_sandbox, "MAX_RENDER_SECONDS", 10.0)
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )
    TaskTemplate.objects.filter(pk=company.template.task_template_id).update(
        description="{% for a in 'abcdefghij' %}{% for b in 'abcdefghij' %}"
        "{% for c in 'abcdefghij' %}{% for d in 'abcdefghij' %}.{% endfor %}{% endfor %}"
        "{% endfor %}{% endfor %}"
    )
    effect = Effect.objects.get(interview=interview, kind=Effect.Kind.TASK)

    effect_run(effect_id=str(effect.pk))

    effect.refresh_from_db()
    assert effect.state == Effect.State.FAILED
    assert "it repeats loops or macros more than 10,000 times" in effect.last_error
    assert not Task.objects.filter(application=company.application).exists()


def test_a_sent_email_is_readable_whole_by_recruiters_only(company: Company) -> None:
    """Given the invitation was sent, the recruiter reads it in the app down to its MIME (the
    development console links there); an interviewer, who must not act as the candidate
    through the link in it, is turned away."""
    company.send()
    email = OutgoingEmail.objects.get(to=company.candidate.email)

    page = logged_in(company).get(f"/emails/{email.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert email.subject in html
    assert "Content-Type: multipart/alternative" in html
    assert f"Back to {company.candidate.name}" in html

    interviewer = Client()
    interviewer.force_login(company.interviewer)
    assert interviewer.get(f"/emails/{email.pk}/").status_code in (403, 404)


def test_compose_chooses_the_candidates_language_and_sends_the_version_chosen(
    company: Company,
) -> None:
    """Given a Spanish-reading candidate and a template with a Spanish version, compose opens
    on it; the recruiter may pick the default text instead, and that is what is sent."""
    from tests.scheduling.test_request_languages import spanish_version

    spanish_version(company)
    company.candidate.language = "es"
    company.candidate.save()
    client = logged_in(company)
    compose = f"/applications/{company.application.pk}/self-schedule/compose/"

    spanish = client.get(compose, headers={"HX-Request": "true"}).content.decode()
    default = client.get(compose, {"language": ""}, headers={"HX-Request": "true"}).content
    client.post(
        f"/applications/{company.application.pk}/self-schedule/",
        {
            "template": str(company.template.pk),
            "language": "",
            "subject": company.template.email_template.subject,
            "body": company.template.email_template.body,
        },
    )

    assert '<option value="es" selected lang="es">Español (the candidate\'s language)' in spanish
    assert "Hola Ada:" in spanish  # the preview, in Spanish
    assert "Hi Ada," in default.decode()
    email = OutgoingEmail.objects.get(to=company.candidate.email)
    assert email.subject.startswith("Pick a time for your Manager Interview")


def test_the_preview_follows_the_edited_text_for_this_candidate(company: Company) -> None:
    client = logged_in(company)
    url = f"/applications/{company.application.pk}/self-schedule/preview/"

    good = client.post(
        url,
        {
            "template": str(company.template.pk),
            "subject": "Hi {{ candidate.first_name }}",
            "body": "See you, {{ candidate.name }}",
        },
    ).content.decode()
    bad = client.post(
        url, {"template": str(company.template.pk), "subject": "x", "body": "{{ nope }}"}
    ).content.decode()

    assert "<strong>Subject:</strong> Hi Ada" in good and "See you, Ada Okafor" in good
    assert 'class="alert error" role="alert"' in bad and "Unknown merge field: nope" in bad
    assert client.post(url, {"template": "not-an-id"}).status_code == 404


def compose_html(company: Company) -> str:
    return (
        logged_in(company)
        .get(
            f"/applications/{company.application.pk}/self-schedule/compose/",
            {"template": str(company.template.pk)},
        )
        .content.decode()
    )


def test_compose_says_which_times_the_send_would_offer_and_sends_nothing(
    company: Company,
) -> None:
    from datetime import timedelta

    from hireslot.core import clock
    from hireslot.core.time_text import when_text
    from hireslot.scheduling.slots import request_slots

    # When the recruiter opens the compose drawer
    html = compose_html(company)

    # Then nothing was sent or saved by looking
    assert not SchedulingRequest.objects.exists() and not OutgoingEmail.objects.exists()
    # And it says how many times the candidate will see and the first, in the recruiter's zone,
    # exactly as the link will offer them once sent
    request = company.send().request
    now = clock.now()
    offered = request_slots(request=request, start=now, end=now + timedelta(days=90), now=now)
    first = when_text(
        offered[0].start_at,
        offered[0].end_at,
        zone=company.recruiter.availability.time_zone,
        locale="en_US",
    )
    first = re.sub(r"\s+", " ", first)
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert f"Offers {len(offered)} times in the next 30 days; the first is {first}." in shown


def test_compose_warns_when_the_candidate_would_see_an_empty_calendar(company: Company) -> None:
    # Given interviewers with no free time: a notice longer than the horizon
    company.template.minimum_notice_minutes = 40 * 24 * 60
    company.template.save()

    html = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", compose_html(company)))

    assert "No time is open in the next 30 days: Ada would see an empty calendar." in html
    assert "Send Manager Interview" in html  # a warning, not a refusal


def test_compose_says_nothing_of_times_for_an_availability_request(company: Company) -> None:
    company.template.ask_availability = True
    company.template.save()

    html = compose_html(company)

    assert "Offers " not in html and "No time is open" not in html
