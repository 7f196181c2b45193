"""The interview load report: interviews per interviewer per week (each person's own weeks,
Monday to Monday in their zone) for the last and the next eight weeks, against their weekly
caps, a fairness figure per pool, and the no-shows of the past weeks (per interviewer and per
job). A read (one query for the people, one for the bookings, one for the pools, two for the
no-shows); the page, CSV export and the API render it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db.models import Count, Q

from hireslot.accounts.models import Membership, Organization, User
from hireslot.scheduling.models import (
    Interview,
    InterviewerBooking,
    InterviewerPool,
    NoShow,
    PoolMember,
)
from hireslot.scheduling.slots import availability_of

WEEKS_BEFORE = 8
WEEKS_AFTER = 8


@dataclass(frozen=True)
class LoadRow:
    user: User
    time_zone: str
    weekly_cap: int | None
    weight: int
    counts: list[int]  # one per week, oldest first
    # Of the interviews they sat in over the past weeks: the candidate did not come / they
    # (or another interviewer) did not come, as marked on the interview.
    candidate_no_shows: int = 0
    interviewer_no_shows: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts)

    def cells(self) -> list[tuple[int, str]]:
        """Each week's count with its heat level: "none", "low", "high" (at least 3/4 of
        the cap) or "full" (at or over the cap)."""
        return [(count, _level(count, self.weekly_cap)) for count in self.counts]


def _level(count: int, cap: int | None) -> str:
    if count == 0:
        return "none"
    if cap is None:
        return "low"
    if count >= cap:
        return "full"
    return "high" if count * 4 >= cap * 3 else "low"


@dataclass(frozen=True)
class JobNoShows:
    """A job's interviews held in the report's past weeks and how many were no-shows."""

    job_id: UUID
    title: str
    interviews: int
    no_shows: int
    candidate_no_shows: int


@dataclass(frozen=True)
class LoadReport:
    weeks: list[date]  # Monday of each week (UTC calendar), oldest first
    rows: list[LoadRow]
    pool: InterviewerPool | None
    # The spread between the most and least loaded active member relative to weight, over
    # the whole period; None without a pool.
    fairness: float | None
    jobs: list[JobNoShows] = field(default_factory=list)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def load_report(
    *, organization: Organization, now: datetime, pool: InterviewerPool | None = None
) -> LoadReport:
    this_week = _monday(now.date())
    weeks = [this_week + timedelta(weeks=n) for n in range(-WEEKS_BEFORE, WEEKS_AFTER)]
    weights: dict[UUID, int] = {}
    if pool is not None:
        members = PoolMember.objects.filter(pool=pool, active=True)
        weights = dict(members.values_list("user_id", "weight"))
        people = User.objects.filter(pk__in=list(weights))
    else:
        people = User.objects.filter(
            pk__in=Membership.objects.filter(organization=organization).values("user_id")
        )
    users = list(people.select_related("availability").order_by("full_name", "email"))
    start = datetime.combine(weeks[0] - timedelta(days=1), datetime.min.time(), now.tzinfo)
    end = datetime.combine(weeks[-1] + timedelta(days=8), datetime.min.time(), now.tzinfo)
    counts: dict[UUID, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    zones = {user.pk: ZoneInfo(availability_of(user).time_zone) for user in users}
    for user_id, when in InterviewerBooking.objects.filter(
        interviewer_id__in=[user.pk for user in users],
        active=True,
        start__gte=start,
        start__lt=end,
    ).values_list("interviewer_id", "start"):
        counts[user_id][_monday(when.astimezone(zones[user_id]).date())] += 1
    no_shows: dict[tuple[UUID, str], int] = defaultdict(int)
    for user_id, who in (
        NoShow.objects.filter(
            interview__bookings__interviewer_id__in=[user.pk for user in users],
            interview__bookings__active=True,
            interview__start__gte=start,
            interview__start__lt=now,
        )
        .filter(organization=organization)
        .values_list("interview__bookings__interviewer_id", "who")
    ):
        no_shows[(user_id, who)] += 1
    rows = []
    for user in users:
        rules = availability_of(user)
        cap = rules.max_interviews_per_week
        if pool is not None and pool.max_per_week is not None:
            cap = pool.max_per_week if cap is None else min(cap, pool.max_per_week)
        rows.append(
            LoadRow(
                user=user,
                time_zone=rules.time_zone,
                weekly_cap=cap,
                weight=weights.get(user.pk, 1),
                counts=[counts[user.pk][week] for week in weeks],
                candidate_no_shows=no_shows[(user.pk, NoShow.Who.CANDIDATE)],
                interviewer_no_shows=no_shows[(user.pk, NoShow.Who.INTERVIEWER)],
            )
        )
    fairness = None
    if pool is not None and rows:
        relative = [row.total / row.weight for row in rows]
        fairness = round(max(relative) - min(relative), 2)
    jobs = [] if pool is not None else _job_no_shows(organization, start, now)
    return LoadReport(weeks=weeks, rows=rows, pool=pool, fairness=fairness, jobs=jobs)


def _job_no_shows(organization: Organization, start: datetime, now: datetime) -> list[JobNoShows]:
    """Per job with interviews held between ``start`` and ``now``: how many, and no-shows."""
    held = (
        Interview.objects.filter(
            organization=organization,
            status=Interview.Status.SCHEDULED,
            start__gte=start,
            start__lt=now,
        )
        .values("application__job_id", "application__job__title")
        .annotate(
            interviews=Count("pk"),
            no_shows=Count("no_show"),
            candidate_no_shows=Count("no_show", filter=Q(no_show__who=NoShow.Who.CANDIDATE)),
        )
        .order_by("application__job__title")
    )
    return [
        JobNoShows(
            job_id=row["application__job_id"],
            title=row["application__job__title"],
            interviews=row["interviews"],
            no_shows=row["no_shows"],
            candidate_no_shows=row["candidate_no_shows"],
        )
        for row in held
    ]


def _cell(text: str) -> str:
    # A spreadsheet runs a cell starting like a formula: keep names as text.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def load_report_csv_rows(report: LoadReport) -> list[list[str]]:
    header = ["interviewer", "email", "time_zone", "weekly_cap", "weight"]
    header += [f"week_of_{week.isoformat()}" for week in report.weeks]
    header += ["candidate_no_shows", "interviewer_no_shows"]
    lines = [header]
    for row in report.rows:
        lines.append(
            [
                _cell(row.user.get_full_name() or row.user.email),
                _cell(row.user.email),
                row.time_zone,
                "" if row.weekly_cap is None else str(row.weekly_cap),
                str(row.weight),
                *[str(count) for count in row.counts],
                str(row.candidate_no_shows),
                str(row.interviewer_no_shows),
            ]
        )
    return lines
