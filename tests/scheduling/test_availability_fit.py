"""When none of the candidate's windows fits: who blocks each one and why, and the offered
times nearest to it (issue 16: "the explanation names the blocking interviewer")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hireslot.scheduling.availability_fit import request_fit_explain
from hireslot.scheduling.loops import request_times
from hireslot.scheduling.services import interview_book

from .conftest import NOW, Company, company_build
from .pool_company import pool_company_build

NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def new_york(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=NEW_YORK)


def test_a_window_before_the_interviewers_day_names_them_and_the_nearest_times(
    company: Company,
) -> None:
    request = company.send().request
    # Tuesday 20:00–22:00 in Tokyo is 06:00–08:00 in New York: before Nora's 09:00.
    window = (datetime(2026, 3, 3, 20, tzinfo=TOKYO), datetime(2026, 3, 3, 22, tzinfo=TOKYO))

    fit = request_fit_explain(request=request, windows=[window], now=NOW)

    (only,) = fit.windows
    assert not fit.fits and not only.fits
    assert [(b.who, b.reason) for b in only.blockers] == [("Nora Alvarez", "hours")]
    assert only.blockers[0].text == "Nora Alvarez is outside working hours."
    offered = request_times(request=request, start=NOW, end=NOW + timedelta(days=14), now=NOW)
    after = [s for s in offered if s.start_at >= window[1]]
    before = [s for s in offered if s.end_at <= window[0]]
    assert only.after[0].start_at == new_york(3, 9) == after[0].start_at
    assert only.before[0] == before[-1], "the latest time before the window comes first"
    assert len(only.after) == 3 and only.after == tuple(after[:3])


def test_a_window_inside_a_booked_interview_says_busy(company: Company) -> None:
    other = company_build("other")
    other.template.interviewers.set([company.interviewer])
    other.template.include_hiring_manager = False
    other.template.save()
    interview_book(request=other.send().request, start=new_york(3, 10), candidate_time_zone="UTC")
    request = company.send().request

    fit = request_fit_explain(
        request=request, windows=[(new_york(3, 10), new_york(3, 10, 45))], now=NOW
    )

    assert [(b.who, b.reason) for b in fit.windows[0].blockers] == [("Nora Alvarez", "busy")]
    assert "Nora Alvarez is busy" in fit.windows[0].blockers[0].text


def test_a_full_day_says_the_daily_limit(company: Company) -> None:
    settings = company.interviewer.availability
    settings.max_interviews_per_day = 1
    settings.save()
    other = company_build("other")
    other.template.interviewers.set([company.interviewer])
    other.template.include_hiring_manager = False
    other.template.save()
    interview_book(request=other.send().request, start=new_york(3, 9), candidate_time_zone="UTC")
    request = company.send().request

    fit = request_fit_explain(
        request=request, windows=[(new_york(3, 14), new_york(3, 16))], now=NOW
    )

    assert [(b.who, b.reason) for b in fit.windows[0].blockers] == [("Nora Alvarez", "daily_cap")]


def test_a_window_that_fits_has_no_blockers_and_too_soon_says_the_notice(
    company: Company,
) -> None:
    template = company.template
    template.minimum_notice_minutes = 24 * 60
    template.save()
    request = company.send().request

    fit = request_fit_explain(
        request=request,
        windows=[(new_york(4, 10), new_york(4, 12)), (new_york(2, 13), new_york(2, 15))],
        now=NOW,
    )

    too_soon, fits = fit.windows  # earliest first
    assert fit.fits and fits.fits and not fits.blockers
    assert [b.reason for b in too_soon.blockers] == ["notice"]
    assert not too_soon.fits


def test_a_pool_seat_with_nobody_free_names_its_pool_and_each_member(company: Company) -> None:
    pool_company_build(company, ["Ann Lee", "Bo Chen"], weekly_hours={"wed": [["09:00", "17:00"]]})
    request = company.send().request

    fit = request_fit_explain(
        request=request, windows=[(new_york(3, 10), new_york(3, 12))], now=NOW
    )

    (blocker,) = fit.windows[0].blockers
    assert blocker.who == "Engineering interviewers" and blocker.reason == "hours"
    assert "Ann Lee (outside working hours)" in blocker.text
    assert "Bo Chen (outside working hours)" in blocker.text
    assert fit.windows[0].free_pool_members == (("Engineering interviewers", ()),)


def test_when_the_fixed_interviewer_blocks_the_free_pool_members_are_listed(
    company: Company,
) -> None:
    pool_company_build(company, ["Ann Lee", "Bo Chen"], weekly_hours={"tue": [["06:00", "17:00"]]})
    request = company.send().request

    fit = request_fit_explain(request=request, windows=[(new_york(3, 6), new_york(3, 8))], now=NOW)

    assert [(b.who, b.reason) for b in fit.windows[0].blockers] == [("Nora Alvarez", "hours")]
    assert fit.windows[0].free_pool_members == (
        ("Engineering interviewers", ("Ann Lee", "Bo Chen")),
    )


def test_windows_in_the_past_are_too_soon_not_an_error(company: Company) -> None:
    request = company.send().request
    past = (NOW - timedelta(days=1), NOW - timedelta(hours=20))
    fit = request_fit_explain(request=request, windows=[past], now=NOW)
    assert [b.reason for b in fit.windows[0].blockers] == ["notice"]
    assert request_fit_explain(request=request, windows=[], now=NOW).windows == ()


def test_utc_windows_read_the_same(company: Company) -> None:
    request = company.send().request
    window = (datetime(2026, 3, 3, 11, tzinfo=UTC), datetime(2026, 3, 3, 13, tzinfo=UTC))
    fit = request_fit_explain(request=request, windows=[window], now=NOW)
    assert fit.windows[0].blockers[0].who == "Nora Alvarez"


def test_a_window_past_the_horizon_gets_the_last_times_before_it(company: Company) -> None:
    request = company.send().request
    far = (NOW + timedelta(days=90), NOW + timedelta(days=90, hours=2))

    (window,) = request_fit_explain(request=request, windows=[far], now=NOW).windows

    assert [b.reason for b in window.blockers] == ["horizon"]
    assert window.before and not window.after
    assert window.before[0].end_at <= far[0]


def test_across_the_us_switch_each_window_names_its_blocker(db: None) -> None:
    """Issue 16's acceptance, the no-fit half: a candidate in Tokyo, Nora in New York and Leo
    in London, either side of the United States' switch to summer time (14 March 2027)."""
    import time_machine

    from hireslot.accounts.models import Role
    from hireslot.accounts.services import membership_add

    from .conftest import person

    now = datetime(2027, 3, 11, 12, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        company = company_build("dst")
        leo = person("leo@dst.example", "Leo Hart", "Europe/London")
        membership_add(user=leo, organization=company.organization, role=Role.INTERVIEWER)
        company.template.interviewers.add(leo)
        request = company.send().request
        windows = [
            # Fri 12 March 22:00-23:30 Tokyo: 08:00 in New York (EST), 13:00 in London.
            (datetime(2027, 3, 12, 22, tzinfo=TOKYO), datetime(2027, 3, 12, 23, 30, tzinfo=TOKYO)),
            # Tue 16 March 22:00-24:00 Tokyo: 09:00 in New York (EDT now), 13:00 in London.
            (datetime(2027, 3, 16, 22, tzinfo=TOKYO), datetime(2027, 3, 17, 0, tzinfo=TOKYO)),
            # Thu 18 March 03:00-05:00 Tokyo: 14:00 in New York, 18:00 in London.
            (datetime(2027, 3, 18, 3, tzinfo=TOKYO), datetime(2027, 3, 18, 5, tzinfo=TOKYO)),
        ]

        fit = request_fit_explain(request=request, windows=windows, now=now)

    before_switch, after_switch, late_in_london = fit.windows
    assert [b.text for b in before_switch.blockers] == ["Nora Alvarez is outside working hours."]
    assert after_switch.fits and not after_switch.blockers
    assert [b.text for b in late_in_london.blockers] == ["Leo Hart is outside working hours."]
    # The nearest time wholly after the first window (it ends 09:30 in New York, 14:30 UTC).
    assert before_switch.after[0].start_at == datetime(2027, 3, 12, 14, 30, tzinfo=UTC)


def test_a_loop_names_the_session_its_blocker_holds(company: Company) -> None:
    from .loop_company import loop_company_build

    loop = loop_company_build(company)
    settings = loop.sam.availability
    settings.weekly_hours = {"wed": [["09:00", "17:00"]]}
    settings.save()
    company.template = loop.template
    request = company.send().request

    fit = request_fit_explain(
        request=request,
        windows=[(new_york(3, 9), new_york(3, 17)), (new_york(4, 9), new_york(4, 11))],
        now=NOW,
    )

    tuesday, short_wednesday = fit.windows
    assert [(b.who, b.session) for b in tuesday.blockers] == [("Sam Wu", "Systems")]
    assert tuesday.blockers[0].text == "Sam Wu is outside working hours for Systems."
    # Everyone can do their own session on Wednesday morning, but the loop takes 3 h 15.
    assert [b.reason for b in short_wednesday.blockers] == ["together"]
    assert "do not fit back to back" in short_wednesday.blockers[0].text
    assert short_wednesday.after[0].start_at >= new_york(4, 11)
