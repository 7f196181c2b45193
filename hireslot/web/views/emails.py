"""One sent email, whole: what the candidate (or a teammate) received, down to its MIME.

In development without SMTP the console shows one line per email with a link here, so the
whole message is read in the app rather than scrolled past in the terminal.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from hireslot.accounts.access import RECRUITING_ROLES, member_required
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404
from hireslot.messaging.models import OutgoingEmail
from hireslot.messaging.services import outgoing_email_mime
from hireslot.recruiting.models import Candidate


# Recruiters only: the message holds the candidate's link, which acts as the candidate.
@member_required(*RECRUITING_ROLES)
def email_detail(request: MemberRequest, email_id: str) -> HttpResponse:
    email = get_scoped_or_404(OutgoingEmail, request.organization, pk=email_id)
    candidate = (
        Candidate.objects.filter(organization=request.organization, pk=email.target_id).first()
        if email.target_id
        else None
    )
    return render(
        request,
        "web/email_detail.html",
        {"email": email, "candidate": candidate, "mime": outgoing_email_mime(email=email)},
    )
