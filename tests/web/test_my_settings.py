"""My Settings: each person controls when candidates may book them, and sees the result."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from hireslot.accounts.models import AvailabilitySettings, DateOverride, Membership
from tests.factories import UserFactory

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)  # a Sunday

VALID = {
    "time_zone": "America/New_York",
    "hours_mon": "09:00-12:00, 13:00-17:00",
    "hours_tue": "10:00-16:00",
    "buffer_before_minutes": "10",
    "buffer_after_minutes": "15",
    "max_interviews_per_day": "3",
    "max_interviews_per_week": "8",
    "minimum_notice_minutes": "120",
    "booking_horizon_days": "14",
}


@pytest.fixture(autouse=True)
def frozen_time() -> object:
    with time_machine.travel(NOW, tick=False):
        yield


def test_saving_valid_settings_stores_them_and_shows_them_again(
    recruiter_client: Client, recruiter: Membership
) -> None:
    response = recruiter_client.post(reverse("web:my-settings"), VALID)

    assert response.status_code == 302
    saved = AvailabilitySettings.objects.get(user=recruiter.user)
    assert saved.time_zone == "America/New_York"
    assert saved.weekly_hours == {
        "mon": [["09:00", "12:00"], ["13:00", "17:00"]],
        "tue": [["10:00", "16:00"]],
    }
    assert (saved.buffer_before_minutes, saved.buffer_after_minutes) == (10, 15)
    assert (saved.max_interviews_per_day, saved.minimum_notice_minutes) == (3, 120)
    assert saved.max_interviews_per_week == 8
    assert saved.booking_horizon_days == 14
    page = recruiter_client.get(reverse("web:my-settings")).content.decode()
    assert 'value="09:00-12:00, 13:00-17:00"' in page
    assert "Your availability is saved." in page


def test_the_preview_shows_the_next_bookable_times_in_my_zone(
    recruiter_client: Client,
) -> None:
    recruiter_client.post(reverse("web:my-settings"), VALID)

    page = recruiter_client.get(reverse("web:my-settings")).content.decode()

    # Monday 2 March, 09:00 New York (EST) is 14:00 UTC.
    assert "Monday 2 March" in page
    assert '<time datetime="2026-03-02T09:00:00-05:00">09:00</time>' in page
    assert "shown in America/New_York" in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "is not a known time zone"),
        ({"hours_mon": "17:00-09:00"}, "hours_mon", "ends before it starts"),
        ({"hours_tue": "09:00-12:00, 11:00-13:00"}, "hours_tue", "overlap"),
        ({"hours_wed": "9am-5pm"}, "hours_wed", "is not a time"),
        ({"buffer_before_minutes": "-5"}, "buffer_before_minutes", "cannot be negative"),
        ({"minimum_notice_minutes": "-1"}, "minimum_notice_minutes", "cannot be negative"),
        ({"booking_horizon_days": "0"}, "booking_horizon_days", "at least 1 day"),
        ({"max_interviews_per_day": "lots"}, "max_interviews_per_day", "whole number"),
        ({"max_interviews_per_week": "0"}, "max_interviews_per_week", "at least 1"),
    ],
)
def test_invalid_settings_are_explained_next_to_the_field_and_nothing_is_saved(
    recruiter_client: Client,
    recruiter: Membership,
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    recruiter_client.post(reverse("web:my-settings"), VALID)
    before = AvailabilitySettings.objects.get(user=recruiter.user)

    response = recruiter_client.post(
        reverse("web:my-settings"), {**VALID, "hours_wed": "", **change}
    )

    assert response.status_code == 400
    page = response.content.decode()
    error_at = page.index(f'id="id_{field}_error"')
    assert message in page[error_at : error_at + 300]
    assert page.index(f'id="id_{field}') < error_at  # the field (or its first part) first
    assert "Nothing was saved" in page
    after = AvailabilitySettings.objects.get(user=recruiter.user)
    assert after.updated_at == before.updated_at


def test_adding_a_day_off_and_special_hours_then_removing_one(
    recruiter_client: Client, recruiter: Membership
) -> None:
    url = reverse("web:date-override-add")

    recruiter_client.post(url, {"date": "2026-03-02", "hours": ""})
    recruiter_client.post(url, {"date": "2026-03-03", "hours": "14:00-15:00"})
    recruiter_client.post(url, {"date": "2026-03-03", "hours": "15:00-16:00"})  # replaces

    overrides = {o.date: o.hours for o in DateOverride.objects.filter(user=recruiter.user)}
    assert overrides == {date(2026, 3, 2): [], date(2026, 3, 3): [["15:00", "16:00"]]}
    page = recruiter_client.get(reverse("web:my-settings")).content.decode()
    assert "Day off" in page and "15:00-16:00" in page

    day_off = DateOverride.objects.get(user=recruiter.user, date=date(2026, 3, 2))
    response = recruiter_client.post(reverse("web:date-override-delete", args=[day_off.id]))
    assert response.status_code == 302
    assert not DateOverride.objects.filter(pk=day_off.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "not-a-date", "hours": ""}, "Enter a date like"),
        ({"date": "2026-03-02", "hours": "12:00-11:00"}, "ends before it starts"),
        ({"hours": "10:00-11:00"}, "Choose a date"),
        ({"date": "2026-02-27", "hours": ""}, "That date has passed"),
    ],
)
def test_bad_overrides_are_refused_with_a_message(
    recruiter_client: Client, recruiter: Membership, data: dict[str, str], message: str
) -> None:
    response = recruiter_client.post(reverse("web:date-override-add"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DateOverride.objects.filter(user=recruiter.user).exists()


def test_someone_elses_override_cannot_be_removed(recruiter_client: Client, db: None) -> None:
    theirs = DateOverride.objects.create(user=UserFactory(), date=date(2026, 3, 2), hours=[])

    for target in (str(theirs.id), "garbage"):
        response = recruiter_client.post(reverse("web:date-override-delete", args=[target]))
        assert response.status_code == 404

    assert DateOverride.objects.filter(pk=theirs.pk).exists()


def test_my_settings_needs_a_login(client: Client) -> None:
    assert client.get(reverse("web:my-settings")).status_code == 302


def test_a_phone_number_for_phone_interviews_is_saved_and_checked(
    recruiter_client: Client, recruiter: Membership
) -> None:
    bad = recruiter_client.post(reverse("web:my-settings"), {**VALID, "phone_number": "call me"})
    assert bad.status_code == 400
    assert "Use digits, spaces" in bad.content.decode()

    recruiter_client.post(reverse("web:my-settings"), {**VALID, "phone_number": "+44 20 7946 0000"})

    saved = AvailabilitySettings.objects.get(user=recruiter.user)
    assert saved.phone_number == "+44 20 7946 0000"
    assert (
        'value="+44 20 7946 0000"'
        in recruiter_client.get(reverse("web:my-settings")).content.decode()
    )


def test_durations_are_typed_with_their_unit_and_shown_in_the_largest_that_fits(
    recruiter_client: Client, recruiter: Membership
) -> None:
    """Given notice of one day and buffers of 15 minutes, typed as amount and unit, the
    settings hold minutes and the page shows them back as "1 days", not 1440."""
    data = {k: v for k, v in VALID.items() if k not in ("minimum_notice_minutes",)}
    data.update(
        {
            "minimum_notice_minutes_0": "1",
            "minimum_notice_minutes_1": "days",
            "buffer_before_minutes_0": "2",
            "buffer_before_minutes_1": "hours",
        }
    )
    data.pop("buffer_before_minutes", None)

    assert recruiter_client.post(reverse("web:my-settings"), data).status_code == 302

    saved = AvailabilitySettings.objects.get(user=recruiter.user)
    assert (saved.minimum_notice_minutes, saved.buffer_before_minutes) == (1440, 120)
    page = recruiter_client.get(reverse("web:my-settings")).content.decode()
    assert 'name="minimum_notice_minutes_0" value="1"' in page
    assert '<option value="days" selected>days</option>' in page

    too_long = {**data, "minimum_notice_minutes_0": "61"}
    refused = recruiter_client.post(reverse("web:my-settings"), too_long).content.decode()
    assert "Use at most 60 days." in refused


def test_the_error_summary_lists_each_problem_with_a_link_to_its_field(
    recruiter_client: Client,
) -> None:
    response = recruiter_client.post(
        reverse("web:my-settings"),
        {**VALID, "hours_mon": "17:00-09:00", "booking_horizon_days": "0"},
    )

    page = response.content.decode()
    summary = page[page.index('id="error-summary"') :]
    assert "Nothing was saved: 2 problems to fix" in summary
    assert '<a href="#id_hours_mon">Monday: ' in summary
    assert '<a href="#id_booking_horizon_days">How far ahead' in summary
    assert "data-focus-on-load" in page
