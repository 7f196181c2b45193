"""One writer of notifications (issue 10): ``notification_send`` always puts the notification in
the bell, and emails it unless the recipient's preference mutes its topic; a broken
connection cannot be muted (decision 0013)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from pytest_django import DjangoAssertNumQueries

from hireslot.accounts.models import Membership, Organization, User
from hireslot.messaging.models import Notification, NotificationPreference, OutgoingEmail
from hireslot.messaging.notifications import (
    NotificationEmail,
    NotificationTopic,
    notification_preference_update,
    notification_send,
    notification_topic_mutable,
)
from hireslot.messaging.selectors import notification_preference_of
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

EMAIL = NotificationEmail(subject="Ada booked a Manager Interview", body_text="See it in HireSlot.")

INTERVIEW_TOPICS = {
    NotificationTopic.INTERVIEW_BOOKED: "email_on_booked",
    NotificationTopic.INTERVIEW_RESCHEDULED: "email_on_rescheduled",
    NotificationTopic.INTERVIEW_CANCELLED: "email_on_cancelled",
}


def send(
    organization: Organization,
    recipient: User,
    topic: NotificationTopic,
    email: NotificationEmail | None = EMAIL,
) -> Notification:
    return notification_send(
        organization=organization,
        recipient=recipient,
        verb="Ada booked a Manager Interview",
        topic=topic,
        email=email,
    )


def emails_to(user: User) -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(to=user.email))


def prefer(user: User, **email_on: bool) -> None:
    notification_preference_update(
        user=user,
        email_on_booked=email_on.get("email_on_booked", True),
        email_on_rescheduled=email_on.get("email_on_rescheduled", True),
        email_on_cancelled=email_on.get("email_on_cancelled", True),
    )


@pytest.mark.parametrize("topic", list(NotificationTopic))
def test_without_preferences_every_notification_is_in_the_bell_and_emailed(
    organization: Organization, recruiter: Membership, topic: NotificationTopic
) -> None:
    user = recruiter.user

    notification = send(organization, user, topic)

    assert Notification.objects.get(recipient=user) == notification
    (email,) = emails_to(user)
    assert (email.subject, email.body_text) == (EMAIL.subject, EMAIL.body_text)
    assert email.organization == organization
    # Queued through the outbox: its delivery is background work, written alongside.
    assert DBTaskResult.objects.filter(args_kwargs__kwargs__email_id=str(email.pk)).exists()


@pytest.mark.parametrize(("topic", "field"), INTERVIEW_TOPICS.items())
def test_a_muted_interview_topic_is_in_the_bell_but_not_emailed(
    organization: Organization, recruiter: Membership, topic: NotificationTopic, field: str
) -> None:
    user = recruiter.user
    prefer(user, **{field: False})

    send(organization, user, topic)

    assert Notification.objects.filter(recipient=user).count() == 1
    assert emails_to(user) == []


@pytest.mark.parametrize(("topic", "field"), INTERVIEW_TOPICS.items())
def test_muting_one_interview_topic_leaves_the_others_emailed(
    organization: Organization, recruiter: Membership, topic: NotificationTopic, field: str
) -> None:
    user = recruiter.user
    prefer(user, **{other: False for other in INTERVIEW_TOPICS.values() if other != field})

    send(organization, user, topic)

    assert len(emails_to(user)) == 1


def test_a_broken_connection_is_emailed_even_with_every_email_turned_off(
    organization: Organization, recruiter: Membership
) -> None:
    user = recruiter.user
    prefer(user, email_on_booked=False, email_on_rescheduled=False, email_on_cancelled=False)

    send(organization, user, NotificationTopic.CONNECTION_BROKEN)

    assert Notification.objects.filter(recipient=user).count() == 1
    (email,) = emails_to(user)
    assert email.kind == "connection_alert"
    assert not notification_topic_mutable(NotificationTopic.CONNECTION_BROKEN)
    assert all(notification_topic_mutable(topic) for topic in INTERVIEW_TOPICS)


def test_interview_notifications_are_emailed_as_kind_notification(
    organization: Organization, recruiter: Membership
) -> None:
    send(organization, recruiter.user, NotificationTopic.INTERVIEW_CANCELLED)

    assert [email.kind for email in emails_to(recruiter.user)] == ["notification"]


@pytest.mark.parametrize("topic", list(NotificationTopic))
def test_a_notification_without_an_email_stays_in_the_bell(
    organization: Organization, recruiter: Membership, topic: NotificationTopic
) -> None:
    send(organization, recruiter.user, topic, email=None)

    assert Notification.objects.filter(recipient=recruiter.user).count() == 1
    assert not OutgoingEmail.objects.exists()


def test_the_notification_links_its_target_and_a_long_verb_is_cut_to_fit(
    organization: Organization, recruiter: Membership
) -> None:
    candidate = CandidateFactory(organization=organization)

    notification = notification_send(
        organization=organization,
        recipient=recruiter.user,
        verb="x" * 300,
        topic=NotificationTopic.EMAIL_UNDELIVERED,
        target=candidate,
    )

    notification.refresh_from_db()
    assert notification.target == candidate
    assert notification.verb == "x" * 200


def test_the_row_and_its_email_commit_or_roll_back_together(
    organization: Organization, recruiter: Membership
) -> None:
    @transaction.atomic
    def caller_that_fails() -> None:
        send(organization, recruiter.user, NotificationTopic.INTERVIEW_BOOKED)
        raise RuntimeError("the caller's change failed")

    with pytest.raises(RuntimeError):
        caller_that_fails()

    assert not Notification.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_a_cached_preference_costs_no_query(
    organization: Organization,
    recruiter: Membership,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    prefer(recruiter.user, email_on_booked=False)
    user = User.objects.select_related("notification_preference").get(pk=recruiter.user.pk)

    # The notification's INSERT alone: the muted preference comes from the join.
    with django_assert_num_queries(1):
        send(organization, user, NotificationTopic.INTERVIEW_BOOKED)


def test_reading_preferences_writes_nothing_and_saving_keeps_one_row(
    recruiter: Membership,
) -> None:
    user = recruiter.user

    preference = notification_preference_of(user=user)
    assert (preference.email_on_booked, preference._state.adding) == (True, True)
    assert not NotificationPreference.objects.exists()

    prefer(user, email_on_booked=False)
    prefer(user, email_on_cancelled=False)

    saved = NotificationPreference.objects.get(user=user)
    assert (saved.email_on_booked, saved.email_on_cancelled) == (True, False)
    assert notification_preference_of(user=user) == saved
