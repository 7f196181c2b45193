"""Connecting calendars and Zoom (each person), and installing the OAuth apps (admins).

The OAuth dance is the same for Google, Microsoft and Zoom: a random ``state`` and a PKCE
verifier kept in the session, the provider's consent page, then the callback exchanges the
code. Each adapter named in settings supplies its ``OAuthFlow`` (``oauth_flow``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.validators import URLValidator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hireslot.accounts.access import member_required
from hireslot.accounts.models import Membership, Role
from hireslot.accounts.requests import MemberRequest
from hireslot.calendars import services as calendar_services
from hireslot.calendars import services_refresh
from hireslot.calendars.connections import (
    calendar_connection_disconnect,
    calendar_credentials_check,
    calendar_oauth_flows,
    connected_provider_for,
)
from hireslot.calendars.models import CalendarConnection, OAuthApp, OAuthProvider
from hireslot.conferencing import services as conferencing_services
from hireslot.conferencing.models import ZoomConnection
from hireslot.conferencing.providers import conferencing_oauth_flows
from hireslot.core.outbound import OutboundError, OutboundRefusedError, outbound_url_check
from hireslot.core.remote import OAuthClient, OAuthFlow, ProviderError
from hireslot.core.work import work_enqueue
from hireslot.web.actions import service_action

SESSION_KEY = "hireslot.oauth"


def _redirect_uri(provider: str) -> str:
    return f"{settings.HIRESLOT_BASE_URL}/settings/connections/{provider}/callback"


def _flows() -> dict[str, OAuthFlow]:
    """Every service people connect by OAuth, by provider: calendars', then conferencing's."""
    return {**calendar_oauth_flows(), **conferencing_oauth_flows()}


def _client(request: MemberRequest, provider: str) -> OAuthClient | None:
    app = OAuthApp.objects.filter(organization=request.organization, provider=provider).first()
    if app is None or not app.client_id or not app.client_secret:
        return None
    return OAuthClient(client_id=app.client_id, client_secret=app.client_secret, tenant=app.tenant)


def _public_address_check(url: str) -> None:
    """Tell the person at once when the address will be refused: the outbound guard's own
    check (``hireslot.core.outbound``), which runs again on every connection the server
    makes to it."""
    try:
        outbound_url_check(url)
    except OutboundRefusedError as error:
        raise forms.ValidationError(
            f"{error.host}: {error.category}. HireSlot only connects to public internet "
            "addresses, not to private networks or this server."
        ) from error
    except OutboundError as error:
        raise forms.ValidationError(f"{error.host}: {error.category}.") from error


class CalDavForm(forms.Form):
    url = forms.URLField(
        label="Server address", help_text="e.g. https://caldav.fastmail.com/", assume_scheme="https"
    )

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"])
        _public_address_check(url)
        return url

    username = forms.CharField(label="User name", max_length=200)
    password = forms.CharField(
        label="App password", widget=forms.PasswordInput, max_length=500, strip=False
    )


class IcsFeedForm(forms.Form):
    url = forms.CharField(
        label="Secret iCal address",
        help_text="The private .ics link from your calendar's settings; read-only busy time.",
        max_length=2000,
    )
    name = forms.CharField(label="Name", max_length=100, initial="My calendar feed")

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"]).strip()
        if url.startswith("webcal://"):
            # webcal:// is how calendar apps label the same https address.
            url = "https://" + url.removeprefix("webcal://")
        if urlsplit(url).scheme not in {"http", "https"}:
            raise forms.ValidationError("Use an https:// (or webcal://) address.")
        URLValidator(schemes=["http", "https"])(url)
        _public_address_check(url)
        return url


@member_required()
def connection_list(request: MemberRequest) -> HttpResponse:
    rows = CalendarConnection.objects.filter(user=request.user).select_related("organization")
    return render(
        request,
        "web/connections.html",
        {
            "connections": rows,
            "zoom": ZoomConnection.objects.filter(user=request.user).first(),
            "installed": set(
                OAuthApp.objects.filter(organization=request.organization).values_list(
                    "provider", flat=True
                )
            ),
            "caldav_form": CalDavForm(),
            "ics_form": IcsFeedForm(),
        },
    )


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode("ascii")


@require_POST
@member_required()
def connection_start(request: MemberRequest, provider: str) -> HttpResponse:
    flow = _flows().get(provider)
    if flow is None:
        return render(
            request, "web/connection_error.html", {"message": "Unknown service."}, status=404
        )
    client = _client(request, provider)
    if client is None:
        messages.error(
            request,
            f"{OAuthProvider(provider).label} is not set up for {request.organization.name} yet; "
            "an administrator can install it under Settings → Integrations.",
        )
        return redirect("web:connections")
    state = secrets.token_urlsafe(32)
    verifier, challenge = _pkce()
    request.session[SESSION_KEY] = {"provider": provider, "state": state, "verifier": verifier}
    url = flow.authorization_url(
        client=client, redirect_uri=_redirect_uri(provider), state=state, code_challenge=challenge
    )
    return redirect(url)


@member_required()
def connection_callback(request: MemberRequest, provider: str) -> HttpResponse:
    pending = request.session.pop(SESSION_KEY, None) or {}
    state = request.GET.get("state", "")
    flow = _flows().get(provider)
    if (
        flow is None
        or pending.get("provider") != provider
        or not hmac.compare_digest(str(pending.get("state", "")), state)
    ):
        return render(
            request,
            "web/connection_error.html",
            {"message": "This sign-in link is not valid any more. Start connecting again."},
            status=400,
        )
    if request.GET.get("error"):
        messages.error(
            request,
            f"{OAuthProvider(provider).label} did not connect: "
            f"{request.GET.get('error_description') or request.GET['error']}"[:300],
        )
        return redirect("web:connections")
    client = _client(request, provider)
    code = request.GET.get("code", "")
    if client is None or not code:
        messages.error(request, "The sign-in did not complete; please try again.")
        return redirect("web:connections")
    try:
        grant = flow.code_exchange(
            client=client,
            code=code,
            redirect_uri=_redirect_uri(provider),
            code_verifier=pending.get("verifier", ""),
        )
    except ProviderError as error:
        messages.error(request, str(error))
        return redirect("web:connections")
    if provider in calendar_oauth_flows():
        row = calendar_services.calendar_connection_save(
            user=request.user,
            provider=provider,
            account=grant.account or request.user.email,
            credentials=grant.as_credentials(),
            organization=request.organization,
        )
        work_enqueue("calendar_connection_refresh", connection_id=str(row.pk))
        services_refresh.refresh_chain_ensure()
    else:
        conferencing_services.zoom_connection_save(
            user=request.user,
            organization=request.organization,
            account=grant.account,
            credentials=grant.as_credentials(),
        )
    messages.success(request, f"{OAuthProvider(provider).label} is connected.")
    return redirect("web:connections")


@require_POST
@member_required()
def connection_caldav_add(request: MemberRequest) -> HttpResponse:
    form = CalDavForm(request.POST)
    if not form.is_valid():
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(
            request, f"Check the CalDAV server address, user name and app password. {problems}"
        )
        return redirect("web:connections")
    data = form.cleaned_data
    credentials = {"url": data["url"], "username": data["username"], "password": data["password"]}
    try:
        account, _calendars = calendar_credentials_check(
            provider=CalendarConnection.Provider.CALDAV, credentials=credentials
        )
    except ProviderError as error:
        messages.error(request, f"Could not connect to the CalDAV server: {error}")
        return redirect("web:connections")
    row = calendar_services.calendar_connection_save(
        user=request.user,
        provider=CalendarConnection.Provider.CALDAV,
        account=account or data["username"],
        credentials=credentials,
    )
    work_enqueue("calendar_connection_refresh", connection_id=str(row.pk))
    services_refresh.refresh_chain_ensure()
    messages.success(request, "Your CalDAV calendar is connected.")
    return redirect("web:connections")


@require_POST
@member_required()
def connection_ics_add(request: MemberRequest) -> HttpResponse:
    form = IcsFeedForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("web:connections")
    row = calendar_services.calendar_connection_save(
        user=request.user,
        provider=CalendarConnection.Provider.ICS_FEED,
        account=form.cleaned_data["name"],
        credentials={"url": form.cleaned_data["url"]},
    )
    work_enqueue("calendar_connection_refresh", connection_id=str(row.pk))
    services_refresh.refresh_chain_ensure()
    messages.success(request, "The feed is added; its busy time appears within a minute.")
    return redirect("web:connections")


def _own_connection(request: MemberRequest, connection_id: str) -> CalendarConnection:
    try:
        return CalendarConnection.objects.get(pk=connection_id, user=request.user)
    except (CalendarConnection.DoesNotExist, ValueError, forms.ValidationError) as error:
        raise Http404("No such connection.") from error


@require_POST
@member_required()
def connection_refresh(request: MemberRequest, connection_id: str) -> HttpResponse:
    row = _own_connection(request, connection_id)
    work_enqueue("calendar_connection_refresh", connection_id=str(row.pk))
    messages.success(request, "Refreshing your busy time now.")
    return redirect("web:connections")


@require_POST
@member_required()
def connection_for_events(request: MemberRequest, connection_id: str) -> HttpResponse:
    row = _own_connection(request, connection_id)
    return service_action(
        request,
        lambda: calendar_services.calendar_connection_choose_for_events(row=row),
        redirect_to=reverse("web:connections"),
    )


@require_POST
@member_required()
def connection_remove(request: MemberRequest, connection_id: str) -> HttpResponse:
    calendar_connection_disconnect(row=_own_connection(request, connection_id))
    messages.success(request, "Disconnected.")
    return redirect("web:connections")


@require_POST
@member_required()
def zoom_remove(request: MemberRequest) -> HttpResponse:
    conferencing_services.zoom_connection_delete(user=request.user)
    messages.success(request, "Zoom is disconnected.")
    return redirect("web:connections")


class OAuthAppForm(forms.Form):
    client_id = forms.CharField(label="Client ID", max_length=300)
    client_secret = forms.CharField(
        label="Client secret",
        required=False,
        widget=forms.PasswordInput,
        help_text="Leave empty to keep the saved secret.",
    )
    tenant = forms.CharField(
        label="Tenant (Microsoft only)",
        required=False,
        max_length=100,
        help_text="organizations (work accounts), common (also personal), or a tenant id.",
    )


@member_required(Role.ADMIN)
def integrations(request: MemberRequest) -> HttpResponse:
    apps = {app.provider: app for app in OAuthApp.objects.filter(organization=request.organization)}
    flows = _flows()
    if request.method == "POST":
        provider = request.POST.get("provider", "")
        form = OAuthAppForm(request.POST)
        if provider in flows and form.is_valid():
            if provider not in apps and not form.cleaned_data["client_secret"]:
                messages.error(request, "Enter the client secret too.")
            else:
                calendar_services.oauth_app_save(
                    organization=request.organization, provider=provider, **form.cleaned_data
                )
                messages.success(request, f"{OAuthProvider(provider).label} is installed.")
                return redirect("web:integrations")
        else:
            messages.error(request, "Enter the client ID.")
    members = Membership.objects.filter(organization=request.organization).select_related("user")
    user_ids = [m.user_id for m in members]
    health = CalendarConnection.objects.filter(user_id__in=user_ids).select_related("user")
    zooms = ZoomConnection.objects.filter(user_id__in=user_ids).select_related("user")
    return render(
        request,
        "web/integrations.html",
        {
            "providers": [
                {
                    "key": key,
                    "label": OAuthProvider(key).label,
                    "app": apps.get(key),
                    "redirect_uri": _redirect_uri(key),
                    "form": OAuthAppForm(
                        initial={
                            "client_id": apps[key].client_id if key in apps else "",
                            "tenant": apps[key].tenant if key in apps else "organizations",
                        }
                    ),
                }
                for key in flows
            ],
            "health": health,
            "zooms": zooms,
        },
    )


@member_required()
def connection_calendars(request: MemberRequest, connection_id: str) -> HttpResponse:
    """Choose which of an account's calendars count as busy and which receives interviews."""
    row = _own_connection(request, connection_id)
    try:
        calendars = connected_provider_for(row).calendars_list()
    except ProviderError as error:
        messages.error(request, f"Could not read your calendars: {error}")
        return redirect("web:connections")
    known = {calendar.id for calendar in calendars}
    if request.method == "POST":
        busy = [value for value in request.POST.getlist("busy") if value in known]
        events = request.POST.get("events", "")
        if events and events not in known:
            messages.error(request, "Choose one of your calendars for interview events.")
        else:
            calendar_services.calendar_connection_calendars_set(
                row=row, busy_calendars=busy, event_calendar=events
            )
            work_enqueue("calendar_connection_refresh", connection_id=str(row.pk))
            messages.success(request, "Saved; your busy time is being refreshed.")
            return redirect("web:connections")
    chosen_busy = set(row.busy_calendars) or {c.id for c in calendars if c.primary}
    chosen_events = row.event_calendar or next((c.id for c in calendars if c.primary), "")
    return render(
        request,
        "web/connection_calendars.html",
        {
            "row": row,
            "calendars": calendars,
            "chosen_busy": chosen_busy,
            "chosen_events": chosen_events,
        },
    )
