"""Names and subjects that end up in email headers refuse line breaks and other control
characters wherever they are saved: services, forms and the admin."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from hireslot.accounts.models import Organization, User
from hireslot.accounts.services import organization_create, user_create
from hireslot.core.validators import single_line, validate_single_line
from hireslot.messaging.forms import EmailTemplateForm
from hireslot.recruiting.services import candidate_create, job_create

HEADER_INJECTIONS = [
    "Ada\nBcc: everyone@example.com",
    "Ada\r\nSubject: hi",
    "Ada\rLovelace",
    "Ada\x00",
    "Ada\tLovelace",
    "Ada\x85Lovelace",  # NEXT LINE
    "Ada\u2028Lovelace",  # LINE SEPARATOR
    "evil\u202etxt.exe",  # RIGHT-TO-LEFT OVERRIDE
    "Ada\u200bLovelace",  # ZERO WIDTH SPACE
]


@pytest.mark.parametrize("value", HEADER_INJECTIONS)
def test_control_and_invisible_characters_are_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="single line of text"):
        validate_single_line(value)


@pytest.mark.parametrize(
    "value",
    ["Ada Lovelace", "Zoë Ñúñez-O'Brien", "山田 太郎", "می‌خواهم", "👩‍💻 Ada", "Ada (she/her)"],
)
def test_ordinary_names_in_any_script_are_accepted(value: str) -> None:
    validate_single_line(value)


@pytest.mark.django_db
def test_services_refuse_names_with_line_breaks(organization: Organization) -> None:
    bad = HEADER_INJECTIONS[0]
    with pytest.raises(ValidationError) as candidate:
        candidate_create(organization=organization, first_name="Ada", last_name=bad)
    with pytest.raises(ValidationError) as job:
        job_create(organization=organization, title=bad)
    with pytest.raises(ValidationError) as org:
        organization_create(name="Acme", slug="acme-2", scheduling_sender_name=bad)
    with pytest.raises(ValidationError) as user:
        user_create(email="ada@example.com", full_name=bad, password=None)

    assert "last_name" in candidate.value.message_dict
    assert "title" in job.value.message_dict
    assert "scheduling_sender_name" in org.value.message_dict
    assert "full_name" in user.value.message_dict
    assert not User.objects.filter(email="ada@example.com").exists()


@pytest.mark.django_db
def test_the_email_template_form_refuses_a_subject_with_a_line_break(
    organization: Organization,
) -> None:
    form = EmailTemplateForm(
        data={"name": "Invite", "subject": "Hello\nBcc: x@example.com", "body": "Hi"},
        organization=organization,
    )

    assert not form.is_valid()
    assert "single line of text" in str(form.errors["subject"])


@pytest.mark.django_db
def test_the_admin_refuses_an_organization_sender_name_with_a_line_break(
    organization: Organization,
) -> None:
    client = Client()
    client.force_login(User.objects.create_superuser("root@example.com", "pw-not-used-123"))

    response = client.post(
        reverse("admin:accounts_organization_change", args=[organization.pk]),
        {
            "name": organization.name,
            "slug": organization.slug,
            "plan": organization.plan,
            "default_time_zone": "UTC",
            "accent_color": "#2563eb",
            "scheduling_sender_name": "Acme\r\nBcc: everyone@example.com",
            "scheduling_sender_email": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "single line of text" in response.content.decode()
    organization.refresh_from_db()
    assert organization.scheduling_sender_name == ""


@pytest.mark.django_db
def test_the_admin_refuses_a_user_name_with_a_line_break() -> None:
    client = Client()
    client.force_login(User.objects.create_superuser("root@example.com", "pw-not-used-123"))

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "ada@example.com",
            "full_name": "Ada\nLovelace",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
            "usable_password": "true",
        },
    )

    assert response.status_code == 200
    assert "single line of text" in response.content.decode()
    assert not User.objects.filter(email="ada@example.com").exists()


def test_header_text_built_at_send_time_is_made_one_line() -> None:
    assert single_line("Your interview\r\nBcc: x@example.com\x00 at\u202e Acme ") == (
        "Your interview Bcc: x@example.com at Acme"
    )
    assert single_line("می‌خواهم 👩‍💻") == "می‌خواهم 👩‍💻"
