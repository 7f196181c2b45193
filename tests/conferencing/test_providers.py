"""Interviews get a video or phone link; kinds that are not connected are refused clearly."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from hireslot.conferencing.providers import (
    ConferencingNotAvailable,
    MeetingSpec,
    conferencing_oauth_flows,
    conferencing_provider,
    conferencing_provider_class,
)
from hireslot.conferencing.providers.jitsi import JitsiProvider
from hireslot.conferencing.providers.memory import InMemoryConferencingProvider
from hireslot.conferencing.providers.phone import PhoneProvider
from hireslot.conferencing.providers.zoom import ZoomProvider
from hireslot.core.errors import HireSlotError
from hireslot.core.remote import Connection, PermanentProviderError

SPEC = MeetingSpec(
    key="5f0c7c52-2c1e-4a53-a1d4-000000000001",
    topic="Interview: Ada Lovelace",
    start=datetime(2026, 3, 2, 9, tzinfo=UTC),
    duration_minutes=45,
    host_email="grace@example.com",
)


@pytest.fixture(autouse=True)
def _empty_memory_service() -> Iterator[None]:
    InMemoryConferencingProvider.reset()
    yield
    InMemoryConferencingProvider.reset()


# --- Jitsi ------------------------------------------------------------------------------------


def test_each_interview_gets_its_own_jitsi_room_that_nobody_could_guess() -> None:
    # Given the default Jitsi provider
    provider = conferencing_provider("jitsi")

    # When many interviews get a link
    meetings = [provider.meeting_create(spec=SPEC) for _ in range(200)]

    # Then every room is different, on meet.jit.si, named HireSlot-<random>
    assert len({m.join_url for m in meetings}) == 200
    for meeting in meetings:
        match = re.fullmatch(r"https://meet\.jit\.si/HireSlot-([a-z2-7]+)", meeting.join_url)
        assert match, meeting.join_url
        # And the random part carries at least 128 bits even if Jitsi lower-cases it
        assert len(match.group(1)) * 5 >= 128
        assert meeting.provider == "jitsi"
        assert meeting.join_url.endswith(meeting.meeting_id)
    assert provider.needs_network is False


@pytest.mark.parametrize("base_url", ["https://video.acme.example", "https://video.acme.example/"])
def test_a_self_hosted_jitsi_is_used_when_configured(base_url: str) -> None:
    with override_settings(HIRESLOT_JITSI_BASE_URL=base_url):
        meeting = conferencing_provider("jitsi").meeting_create(spec=SPEC)

    assert meeting.join_url.startswith("https://video.acme.example/HireSlot-")
    assert "//HireSlot" not in meeting.join_url


def test_rescheduling_or_cancelling_keeps_the_jitsi_link_the_candidate_has() -> None:
    provider = JitsiProvider()
    meeting = provider.meeting_create(spec=SPEC)

    moved = provider.meeting_update(
        meeting=meeting, spec=replace(SPEC, start=datetime(2026, 3, 3, 14, tzinfo=UTC))
    )
    provider.meeting_delete(meeting=meeting)

    assert moved == meeting


# --- Phone ------------------------------------------------------------------------------------


def test_a_phone_interview_links_to_the_number_as_dialable_and_shows_it_as_written() -> None:
    provider = conferencing_provider("phone")

    meeting = provider.meeting_create(spec=replace(SPEC, phone_number=" +1 (555) 010-0 "))

    assert meeting.provider == "phone"
    assert meeting.join_url == "tel:+15550100"
    assert meeting.details == "Phone: +1 (555) 010-0"
    assert provider.needs_network is False
    assert provider.meeting_update(meeting=meeting, spec=SPEC) == meeting


@pytest.mark.parametrize("number", ["", "   ", "call me", "+"])
def test_a_phone_interview_without_a_number_is_refused_with_what_to_do(number: str) -> None:
    with pytest.raises(ConferencingNotAvailable, match="needs a phone number") as refused:
        PhoneProvider().meeting_create(spec=replace(SPEC, phone_number=number))

    # And it is an error the recruiter pages show as a message, not a crash
    assert isinstance(refused.value, HireSlotError)


# --- Which kinds are available ----------------------------------------------------------------


def test_jitsi_and_phone_are_available_out_of_the_box() -> None:
    assert conferencing_provider("jitsi").name == "jitsi"
    assert conferencing_provider("phone").name == "phone"


@pytest.mark.parametrize(
    ("kind", "name"),
    [("zoom", "Zoom"), ("google_meet", "Google Meet"), ("teams", "Microsoft Teams")],
)
def test_kinds_without_an_adapter_are_refused_with_a_clear_message(
    kind: str, name: str, settings: Any
) -> None:
    # Given a server that offers only the embedded kinds (Meet and Teams links come with
    # calendar events, never from this setting)
    settings.HIRESLOT_CONFERENCING_PROVIDERS = {
        "jitsi": "hireslot.conferencing.providers.jitsi.JitsiProvider",
        "phone": "hireslot.conferencing.providers.phone.PhoneProvider",
    }
    with pytest.raises(ConferencingNotAvailable) as refused:
        conferencing_provider(kind)

    assert refused.value.message == f"{name} is not connected for this organization yet."


def test_zoom_comes_from_the_setting_and_works_on_the_hosts_account() -> None:
    """Zoom is named in HIRESLOT_CONFERENCING_PROVIDERS like Jitsi and phone; its meetings
    are made on a person's account, so it is built with that account's connection."""
    connection = Connection(id="c1", provider="zoom", account="host@x", credentials={})

    zoom = conferencing_provider("zoom", connection=connection)

    assert isinstance(zoom, ZoomProvider) and zoom.connection is connection
    assert conferencing_provider_class("zoom").oauth_flow is not None
    assert set(conferencing_oauth_flows()) == {"zoom"}
    with pytest.raises(TypeError, match="pass connection"):
        conferencing_provider("zoom")


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ConferencingNotAvailable, match="not a kind of interview link"):
        conferencing_provider("skype")


def test_an_adapter_added_to_the_setting_becomes_available() -> None:
    memory = "hireslot.conferencing.providers.memory.InMemoryConferencingProvider"
    with override_settings(HIRESLOT_CONFERENCING_PROVIDERS={"zoom": memory}):
        assert isinstance(conferencing_provider("zoom"), InMemoryConferencingProvider)
        # And a kind taken out of the setting is no longer offered
        with pytest.raises(ConferencingNotAvailable):
            conferencing_provider("jitsi")


def test_a_wrong_provider_path_is_an_operator_error_naming_it() -> None:
    with (
        override_settings(HIRESLOT_CONFERENCING_PROVIDERS={"zoom": "nowhere.Zoom"}),
        pytest.raises(ImproperlyConfigured, match=r"nowhere\.Zoom"),
    ):
        conferencing_provider("zoom")


# --- The in-memory double ---------------------------------------------------------------------


def test_the_memory_double_fails_as_told_then_creates_one_meeting_per_interview() -> None:
    # Given a video service that will refuse once
    provider = InMemoryConferencingProvider()
    InMemoryConferencingProvider.fail_next(PermanentProviderError("Zoom access was revoked."))

    # When the link is requested, then retried twice
    with pytest.raises(PermanentProviderError, match="access was revoked"):
        provider.meeting_create(spec=SPEC)
    first = provider.meeting_create(spec=SPEC)
    again = provider.meeting_create(spec=SPEC)

    # Then the retries give the same meeting, and there is one
    assert first == again
    assert list(InMemoryConferencingProvider.meetings) == [SPEC.key]
    assert provider.needs_network is True

    # And cancelling it twice is fine
    provider.meeting_delete(meeting=first)
    provider.meeting_delete(meeting=first)
    assert InMemoryConferencingProvider.meetings == {}
    assert [call for call, _ in InMemoryConferencingProvider.calls].count("meeting_create") == 3
