"""Writes about organizations and people."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from hireslot.accounts.availability_generation import availability_generation_bump
from hireslot.accounts.branding import accent_problem, color_normalize
from hireslot.accounts.logos import LogoError, logo_reencode
from hireslot.accounts.models import (
    AvailabilityRules,
    AvailabilitySettings,
    DateOverride,
    Membership,
    Organization,
    OrganizationAvailabilityDefaults,
    PasswordResetEmail,
    Plan,
    Role,
    User,
)
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.core.work import work_enqueue

logger = logging.getLogger(__name__)

# Monday to Friday, 09:00-17:00: what a new organization's members start from.
DEFAULT_WEEKLY_HOURS = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


@transaction.atomic
def organization_create(
    *,
    name: str,
    slug: str | None = None,
    plan: Plan = Plan.STARTER,
    default_time_zone: str = "UTC",
    scheduling_sender_name: str = "",
    scheduling_sender_email: str = "",
) -> Organization:
    """The organization and its availability defaults, nothing else: the product makes
    organizations with ``scheduling.services.organization_start``, which adds the starter
    templates (accounts sits below scheduling and knows nothing of templates)."""
    organization = Organization(
        name=name,
        slug=slug or slugify(name),
        plan=plan,
        default_time_zone=default_time_zone,
        scheduling_sender_name=scheduling_sender_name or name,
        scheduling_sender_email=scheduling_sender_email,
    )
    organization.full_clean()
    organization.save()
    OrganizationAvailabilityDefaults.objects.create(
        organization=organization, weekly_hours=DEFAULT_WEEKLY_HOURS
    )
    return organization


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    password: str | None,
    time_zone: str = "UTC",
    rules_from: AvailabilityRules | None = None,
) -> User:
    """A user with My Settings started from ``rules_from`` (an organization's defaults)."""
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    rules = (
        {name: getattr(rules_from, name) for name in AvailabilityRules.RULE_FIELDS}
        if rules_from is not None
        else {}
    )
    settings = AvailabilitySettings(user=user, time_zone=time_zone, **rules)
    settings.full_clean()
    settings.save()
    return user


@transaction.atomic
def member_create(
    *, organization: Organization, email: str, full_name: str, role: Role
) -> Membership:
    """A new person in an organization, inheriting its availability defaults and time zone.

    They have no password until they follow their invitation: create members through
    ``messaging.member_invites.member_invite``, which also sends it.
    """
    if User.objects.filter(email__iexact=email).exists():
        raise HireSlotError(f"{email} already has an account; add them with their membership.")
    defaults = organization_availability_defaults(organization=organization)
    user = user_create(
        email=email,
        full_name=full_name,
        password=None,
        time_zone=organization.default_time_zone,
        rules_from=defaults,
    )
    return membership_add(user=user, organization=organization, role=role)


def organization_availability_defaults(
    *, organization: Organization
) -> OrganizationAvailabilityDefaults:
    defaults, _ = OrganizationAvailabilityDefaults.objects.get_or_create(
        organization=organization, defaults={"weekly_hours": DEFAULT_WEEKLY_HOURS}
    )
    return defaults


def organization_availability_defaults_update(
    *, organization: Organization, rules: dict[str, Any]
) -> OrganizationAvailabilityDefaults:
    defaults = organization_availability_defaults(organization=organization)
    for name in AvailabilityRules.RULE_FIELDS:
        setattr(defaults, name, rules[name])
    defaults.full_clean()
    defaults.save()
    return defaults


def availability_settings_of(*, user: User) -> AvailabilitySettings:
    settings, _ = AvailabilitySettings.objects.get_or_create(user=user)
    return settings


def availability_settings_update(
    *, user: User, time_zone: str, rules: dict[str, Any], phone_number: str | None = None
) -> AvailabilitySettings:
    settings = availability_settings_of(user=user)
    settings.time_zone = time_zone
    if phone_number is not None:
        settings.phone_number = phone_number
    for name in AvailabilityRules.RULE_FIELDS:
        setattr(settings, name, rules[name])
    settings.full_clean()
    settings.save()
    availability_generation_bump(user_ids=[user.pk])
    return settings


def date_override_set(*, user: User, day: date, hours: list[list[str]]) -> DateOverride:
    """Set one date's hours (``[]`` = day off), replacing any earlier override for it."""
    override, _ = DateOverride.objects.update_or_create(
        user=user, date=day, defaults={"hours": hours}
    )
    availability_generation_bump(user_ids=[user.pk])
    return override


def date_override_delete(*, user: User, override_id: str) -> None:
    try:
        deleted, _ = DateOverride.objects.filter(user=user, pk=override_id).delete()
    except (ValidationError, ValueError):
        deleted = 0
    if not deleted:
        raise HireSlotError("That date override does not exist (any more).")
    availability_generation_bump(user_ids=[user.pk])


def membership_add(*, user: User, organization: Organization, role: Role) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"role": role}
    )
    return membership


def password_reset_request(*, email: str) -> None:
    """Ask for a reset email for ``email``, whether or not an account uses it.

    The web request only enqueues: looking the address up and talking to the mail server
    happen in the worker, so the answer takes the same time for every address.
    """

    work_enqueue("password_reset_email_deliver", email=email.strip().lower())


def password_reset_email_send(*, email: str) -> bool:
    """Email the account using ``email`` a link to choose a new password; True when sent.

    Nothing is sent to an unknown or deactivated address, nor more than
    ``HIRESLOT_PASSWORD_RESET_EMAILS_PER_HOUR`` to one address within an hour, so the form
    cannot be used to flood someone's inbox. A member who never chose a password (their
    invitation expired) may use it too: the link goes to their own inbox.
    """
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return False
    hour_ago = clock.now() - timedelta(hours=1)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        recent = PasswordResetEmail.objects.filter(user=user, created_at__gte=hour_ago).count()
        if recent >= settings.HIRESLOT_PASSWORD_RESET_EMAILS_PER_HOUR:
            logger.info("Password reset email not sent: %s reset emails in the last hour", recent)
            return False
        PasswordResetEmail.objects.create(user=user)
    context = {
        "email": user.email,
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "base_url": settings.HIRESLOT_BASE_URL,
    }
    subject = "".join(
        render_to_string("registration/password_reset_subject.txt", context).splitlines()
    )
    body = render_to_string("registration/password_reset_email.html", context)
    send_mail(subject, body, None, [user.email])
    return True


def organization_logo_set(*, organization: Organization, upload: IO[bytes] | None) -> Organization:
    """Replace the organization's logo with ``upload`` re-encoded as PNG (``None`` removes it).

    Raises ``LogoError`` (with the reason) before anything is stored. The replaced file is
    deleted once the change is committed; a fresh name each time keeps caches honest.
    """
    png = None if upload is None else logo_reencode(upload, name=_upload_name(upload))
    with transaction.atomic():
        _logo_store(organization, png)
        organization.save(update_fields=["logo", "updated_at"])
    return organization


def _upload_name(upload: IO[bytes]) -> str:
    return str(getattr(upload, "name", "") or "")


def _logo_store(organization: Organization, png: bytes | None) -> None:
    """Point ``organization.logo`` at ``png`` (None: no logo), unsaved; the old file goes
    once the caller's transaction commits."""
    old_name = organization.logo.name
    storage = organization.logo.storage
    if png is None:
        organization.logo = ""
    else:
        organization.logo.save(f"{organization.slug}.png", ContentFile(png), save=False)
    if old_name and old_name != organization.logo.name:
        transaction.on_commit(lambda: storage.delete(old_name))


class BrandError(HireSlotError):
    """A brand setting that cannot be used; ``field`` names the one at fault."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def organization_brand_update(
    *,
    organization: Organization,
    accent_color: str,
    sender_name: str,
    sender_email: str | None = None,
    logo: IO[bytes] | None = None,
    logo_remove: bool = False,
) -> Organization:
    """Set what candidates see of the organization: accent colour, sender name and address
    (``None``: unchanged; empty: the server's) and (when
    given) a new logo, or no logo. All or nothing: every value is checked (the logo decoded
    and re-encoded, the colour's contrast measured) before anything is written.

    Raises ``BrandError`` naming the field; ``LogoError`` becomes a ``BrandError`` on "logo".
    """
    problem = accent_problem(accent_color)
    if problem:
        raise BrandError(problem, field="accent_color")
    png: bytes | None = None
    if logo is not None:
        try:
            png = logo_reencode(logo, name=_upload_name(logo))
        except LogoError as error:
            raise BrandError(error.message, field="logo") from error
    with transaction.atomic():
        # A fresh, locked row: a refusal below leaves the caller's object untouched.
        fresh = Organization.objects.select_for_update().get(pk=organization.pk)
        fresh.accent_color = color_normalize(accent_color)
        fresh.scheduling_sender_name = sender_name.strip()
        checked = {"accent_color", "scheduling_sender_name"}
        if sender_email is not None:
            fresh.scheduling_sender_email = sender_email.strip()
            checked.add("scheduling_sender_email")
        try:
            fresh.full_clean(
                exclude=[f.name for f in Organization._meta.fields if f.name not in checked]
            )
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise BrandError(" ".join(messages), field=field) from error
        fields = [*sorted(checked), "updated_at"]
        if png is not None or logo_remove:
            _logo_store(fresh, png)
            fields.append("logo")
        fresh.save(update_fields=fields)
    return fresh
