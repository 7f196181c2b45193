"""Settings: My Settings (when candidates may book me, date overrides, a preview), and the
organization page (brand, members and invitations, defaults for new members, the public
logo)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from hireslot.accounts import services as account_services
from hireslot.accounts.access import member_required
from hireslot.accounts.branding import brand_of
from hireslot.accounts.forms import (
    AvailabilityRulesForm,
    DateOverrideForm,
    MemberInviteForm,
    MySettingsForm,
    OrganizationBrandForm,
)
from hireslot.accounts.models import DateOverride, Membership, Organization, Role, User
from hireslot.accounts.plans import organization_has_self_scheduling, self_scheduling_plan_names
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404
from hireslot.calendars.selectors import busy_syncs_of
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.messaging import member_invites
from hireslot.messaging.senders import address_is_real, organization_sender, sender_problem
from hireslot.scheduling.slots import bookable_times_preview

# My Settings


def _preview_days(user: User, now: datetime) -> tuple[str, list[tuple[date, list[datetime]]]]:
    """The next bookable times, grouped by day in the user's own zone."""
    settings = account_services.availability_settings_of(user=user)
    zone = ZoneInfo(settings.time_zone)
    days: dict[date, list[datetime]] = {}
    for slot in bookable_times_preview(user=user, now=now):
        local = slot.start_at.astimezone(zone)
        days.setdefault(local.date(), []).append(local)
    return settings.time_zone, list(days.items())


def _my_settings_initial(user: User) -> dict[str, object]:
    settings = account_services.availability_settings_of(user=user)
    return {
        "time_zone": settings.time_zone,
        "phone_number": settings.phone_number,
        **MySettingsForm.initial_from(settings),
    }


def _render_my_settings(
    request: MemberRequest,
    form: MySettingsForm,
    override_form: DateOverrideForm,
    status: int = 200,
) -> HttpResponse:
    time_zone, preview = _preview_days(request.user, clock.now())
    return render(
        request,
        "web/my_settings.html",
        {
            "form": form,
            "override_form": override_form,
            "overrides": DateOverride.objects.filter(
                user=request.user, date__gte=clock.now().date() - timedelta(days=1)
            ),
            "preview": preview,
            "preview_time_zone": time_zone,
            "syncs": busy_syncs_of(user=request.user),
        },
        status=status,
    )


@member_required()
def my_settings(request: MemberRequest) -> HttpResponse:
    """My Settings: when candidates may book me, and a preview of what that gives."""
    if request.method == "POST":
        form = MySettingsForm(request.POST)
        if form.is_valid():
            account_services.availability_settings_update(
                user=request.user,
                time_zone=form.cleaned_data["time_zone"],
                rules=form.rules(),
                phone_number=form.cleaned_data["phone_number"],
            )
            messages.success(request, "Your availability is saved.")
            return redirect("web:my-settings")
        return _render_my_settings(request, form, DateOverrideForm(), status=400)
    form = MySettingsForm(initial=_my_settings_initial(request.user))
    return _render_my_settings(request, form, DateOverrideForm(today=_today(request.user)))


def _today(user: User) -> date:
    """Today where the person works: an override for an earlier date is refused."""
    zone = ZoneInfo(account_services.availability_settings_of(user=user).time_zone)
    return clock.now().astimezone(zone).date()


@require_POST
@member_required()
def date_override_add(request: MemberRequest) -> HttpResponse:
    form = DateOverrideForm(request.POST, today=_today(request.user))
    if form.is_valid():
        account_services.date_override_set(
            user=request.user, day=form.cleaned_data["date"], hours=form.cleaned_data["hours"]
        )
        messages.success(request, f"Hours for {form.cleaned_data['date']:%A %d %B %Y} saved.")
        return redirect("web:my-settings")
    settings_form = MySettingsForm(initial=_my_settings_initial(request.user))
    return _render_my_settings(request, settings_form, form, status=400)


@require_POST
@member_required()
def date_override_remove(request: MemberRequest, override_id: str) -> HttpResponse:
    try:
        account_services.date_override_delete(user=request.user, override_id=override_id)
    except HireSlotError as error:
        return HttpResponse(error.message, status=404)
    messages.success(request, "Date override removed.")
    return redirect("web:my-settings")


# The organization


def _brand_form(organization: Organization) -> OrganizationBrandForm:
    return OrganizationBrandForm(
        initial={
            "accent_color": organization.accent_color,
            "accent_picker": organization.accent_color,
            "sender_name": organization.scheduling_sender_name,
            "sender_email": organization.scheduling_sender_email,
        },
        current_accent=organization.accent_color,
    )


def _render_organization_settings(
    request: MemberRequest,
    form: MemberInviteForm,
    *,
    brand_form: OrganizationBrandForm | None = None,
    status: int = 200,
) -> HttpResponse:
    organization = request.organization
    return render(
        request,
        "web/settings.html",
        {
            "self_scheduling_included": organization_has_self_scheduling(organization),
            "sender": organization_sender(organization),
            "sender_problem": sender_problem(organization),
            "self_scheduling_plans": self_scheduling_plan_names(),
            "members": organization.memberships.select_related("user").order_by("user__full_name"),
            "invite_form": form,
            "brand": brand_of(organization),
            "brand_form": brand_form or _brand_form(organization),
        },
        status=status,
    )


@member_required()
def organization_settings(request: MemberRequest) -> HttpResponse:
    return _render_organization_settings(request, MemberInviteForm())


@require_POST
@member_required(Role.ADMIN)
def organization_brand_edit(request: MemberRequest) -> HttpResponse:
    """Admins: the logo, accent colour and sender name candidates see."""
    organization = request.organization
    form = OrganizationBrandForm(
        request.POST, request.FILES, current_accent=organization.accent_color
    )
    sender_email = str(form.data.get("sender_email", "")).strip()
    if sender_email and settings.PRODUCTION and not address_is_real(sender_email):
        # Invitations from it could not be answered (messaging.senders): refused here too.
        form.add_error(
            "sender_email", f"{sender_email} cannot receive replies; use a real address."
        )
    if form.is_valid():
        try:
            account_services.organization_brand_update(
                organization=organization,
                accent_color=form.cleaned_data["accent_color"],
                sender_name=form.cleaned_data["sender_name"],
                sender_email=form.cleaned_data["sender_email"],
                logo=form.cleaned_data["logo"],
                logo_remove=form.cleaned_data["logo_remove"],
            )
        except account_services.BrandError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "The organization's brand is saved.")
            return redirect("web:settings")
    return _render_organization_settings(request, MemberInviteForm(), brand_form=form, status=400)


@require_POST
@member_required(Role.ADMIN)
def member_invite(request: MemberRequest) -> HttpResponse:
    form = MemberInviteForm(request.POST)
    if not form.is_valid():
        return _render_organization_settings(request, form, status=400)
    try:
        membership = member_invites.member_invite(
            organization=request.organization,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            role=Role(form.cleaned_data["role"]),
            invited_by=request.user,
        )
    except HireSlotError as error:
        form.add_error(None, error.message)
        return _render_organization_settings(request, form, status=error.status_code)
    messages.success(request, f"Invitation sent to {membership.user.email}.")
    return redirect("web:settings")


@require_POST
@member_required(Role.ADMIN)
def member_invite_resend(request: MemberRequest, membership_id: str) -> HttpResponse:
    membership = get_scoped_or_404(Membership, request.organization, pk=membership_id)
    try:
        member_invites.member_invite_send(membership=membership, invited_by=request.user)
    except HireSlotError as error:
        # The organization page again with the refusal and its status, not a redirect.
        messages.error(request, error.message)
        return _render_organization_settings(request, MemberInviteForm(), status=error.status_code)
    messages.success(request, f"A new invitation is on its way to {membership.user.email}.")
    return redirect("web:settings")


@member_required(Role.ADMIN)
def organization_availability_defaults_edit(request: MemberRequest) -> HttpResponse:
    """Admins: what new members' My Settings start from."""
    organization = request.organization
    defaults = account_services.organization_availability_defaults(organization=organization)
    if request.method == "POST":
        form = AvailabilityRulesForm(request.POST)
        if form.is_valid():
            account_services.organization_availability_defaults_update(
                organization=organization, rules=form.rules()
            )
            messages.success(request, "Defaults for new members are saved.")
            return redirect("web:availability-defaults")
        status = 400
    else:
        form = AvailabilityRulesForm(initial=AvailabilityRulesForm.initial_from(defaults))
        status = 200
    return render(request, "web/availability_defaults.html", {"form": form}, status=status)


def organization_logo(request: HttpRequest, slug: str) -> FileResponse:
    """Logos are public: they brand the candidate's scheduling page."""
    organization = get_object_or_404(Organization, slug=slug)
    if not organization.logo:
        raise Http404("No logo")
    # Always a PNG HireSlot encoded itself (accounts.logos), never the uploaded bytes.
    response = FileResponse(organization.logo.open("rb"), content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response
