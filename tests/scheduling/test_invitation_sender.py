"""The invitation's ORGANIZER is the address it is sent from, always; in production an
organization cannot send invitations from an address nobody can answer (issue 18, item 8)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from hireslot.core.errors import HireSlotError
from hireslot.messaging.models import OutgoingEmail
from hireslot.messaging.senders import address_is_real, sender_problem
from hireslot.scheduling.models import Effect, Interview
from hireslot.scheduling.services import (
    effect_run,
    interview_book,
    scheduling_request_problem,
    scheduling_request_send,
)
from tests.itip import itip_read

from .conftest import NOW, Company, company_build

TUESDAY_10 = datetime.fromisoformat("2026-03-03T15:00:00+00:00")


@pytest.fixture
def company(db: None) -> Iterator[Company]:
    with time_machine.travel(NOW, tick=False):
        yield company_build()


def invite_of(interview: Interview) -> OutgoingEmail:
    (effect,) = Effect.objects.filter(interview=interview, kind="candidate_invite")
    effect_run(effect_id=str(effect.pk))
    effect.refresh_from_db()
    assert effect.state == Effect.State.DONE, effect.last_error
    return OutgoingEmail.objects.get(kind="interview_invite")


def test_without_a_sender_address_the_organizer_is_the_servers_from_address(
    company: Company, settings: Any
) -> None:
    """Given an organization with no scheduling sender address, when its invitation goes out,
    then ORGANIZER and From are the same address: the server's DEFAULT_FROM_EMAIL, never
    hireslot@localhost."""
    settings.DEFAULT_FROM_EMAIL = "Acme Talent <talent@acme-robotics.com>"
    company.organization.scheduling_sender_email = ""
    company.organization.save()
    with time_machine.travel(NOW, tick=False):
        interview = interview_book(
            request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
        )
        email = invite_of(interview)

    event = itip_read(email.calendar_ics, method="REQUEST")
    assert email.from_address == "talent@acme-robotics.com"
    assert event.organizer.value == "mailto:talent@acme-robotics.com"
    assert "localhost" not in email.calendar_ics


def test_the_organizer_is_the_organizations_own_sender_address(company: Company) -> None:
    company.organization.scheduling_sender_email = "recruiting@acme-robotics.com"
    company.organization.scheduling_sender_name = "Acme Recruiting"
    company.organization.save()
    with time_machine.travel(NOW, tick=False):
        interview = interview_book(
            request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
        )
        email = invite_of(interview)

    event = itip_read(email.calendar_ics, method="REQUEST")
    assert (email.from_name, email.from_address) == (
        "Acme Recruiting",
        "recruiting@acme-robotics.com",
    )
    assert event.organizer.value == "mailto:recruiting@acme-robotics.com"
    assert event.organizer.params["CN"] == ["Acme Recruiting"]


@pytest.mark.parametrize(
    ("address", "real"),
    [
        ("hireslot@localhost", False),
        ("talent@acme.example", False),
        ("talent@mail.example.com", False),
        ("talent@acme.test", False),
        ("talent@box.local", False),
        ("talent", False),
        ("talent@acme-robotics.com", True),
        ("talent@examples.com", True),
    ],
)
def test_only_an_address_that_can_receive_mail_is_real(address: str, real: bool) -> None:
    assert address_is_real(address) is real


def test_in_production_an_unreal_sender_cannot_send_and_the_pages_say_so(
    company: Company, settings: Any, client: Client
) -> None:
    """Given production and an organization whose invitations would come from
    hireslot@localhost, when a recruiter is about to send, then the send is refused with the
    reason (before sending, and on the Organization page); an invitation effect already queued
    fails with the same reason rather than going out. A real address lifts it."""
    settings.PRODUCTION = True
    settings.DEFAULT_FROM_EMAIL = "HireSlot <hireslot@localhost>"
    organization = company.organization
    organization.scheduling_sender_email = ""
    organization.save()
    with time_machine.travel(NOW, tick=False):
        problem = scheduling_request_problem(
            application=company.application, template=company.template, sender=company.recruiter
        )
        with pytest.raises(HireSlotError, match="cannot be sent from hireslot@localhost"):
            scheduling_request_send(
                application=company.application,
                template=company.template,
                sender=company.recruiter,
            )
    assert problem is not None and "hireslot@localhost" in problem
    client.force_login(company.recruiter)
    page = client.get(reverse("web:settings")).content.decode()
    assert "Invitations cannot be sent from hireslot@localhost" in page

    settings.PRODUCTION = False
    with time_machine.travel(NOW, tick=False):
        interview = interview_book(
            request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
        )
    settings.PRODUCTION = True
    (effect,) = Effect.objects.filter(interview=interview, kind="candidate_invite")
    effect_run(effect_id=str(effect.pk))
    effect.refresh_from_db()
    assert effect.state == Effect.State.FAILED
    assert "hireslot@localhost" in effect.last_error
    assert not OutgoingEmail.objects.filter(kind="interview_invite").exists()

    organization.scheduling_sender_email = "recruiting@acme-robotics.com"
    organization.save()
    assert sender_problem(organization) == ""
    assert "Invitations cannot be sent" not in client.get(reverse("web:settings")).content.decode()
