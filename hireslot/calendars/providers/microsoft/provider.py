"""Microsoft 365 calendars through Graph: busy time, interview events and Teams meetings.

Finding an event again: every interview event carries HireSlot's uid in a single-value
extended property, and ``GET /me/events?$filter=singleValueExtendedProperties/Any(...)``
finds it from the uid alone, in any calendar of the mailbox. ``transactionId`` (derived from
the uid) covers the one gap a lookup cannot: a POST whose answer was lost, retried, returns
the event Graph already made instead of a second one.

Busy time: ``getSchedule`` (Graph merges recurrences and show-as states for us) for the
account's mailbox and any other addresses chosen as busy, in windows under 62 days and at
most 20 schedules per call. Graph counts each member of a distribution list as a schedule,
and HireSlot cannot tell a list from a person, so a batch Graph refuses is split in halves
until each part passes or one address alone is refused (and named). Its items carry no ids,
so the account's own interview events are recognized with one ``calendarView`` read of our
uid property, matched on their times. Personal Microsoft accounts cannot use getSchedule:
only that answer (about the account's own mailbox, naming personal accounts) switches to
``calendarView`` as the whole answer, remembered in sync state for a day and then probed
again; any other failure is an error of this read, retried by the next one. Calendar ids (not
addresses) chosen as busy are read with that calendar's ``calendarView``.

Each block carries its part of the connection as ``scope`` (``primary`` for the mailbox's own
calendar, ``address:<email>`` for a colleague or room, ``calendar:<id>``): a change
notification leads to a delta read of the primary calendar only, which replaces that part of
the busy cache and nothing else.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from hireslot.calendars.providers.base import (
    BusyBlock,
    BusyWindow,
    CalendarInfo,
    CalendarOwner,
    ConnectedCalendarProvider,
    EventRef,
    EventSpec,
    PushAnswer,
    PushCall,
)
from hireslot.calendars.providers.microsoft.graph import (
    BUSY_STATUSES,
    MARKER_EXPAND,
    SEQUENCE_PROPERTY,
    SERVICE,
    UID_PROPERTY,
    Graph,
    event_block,
    graph_time,
    marker,
    odata_quote,
    query_time,
    time_from_graph,
    transaction_id,
    uid_filter,
    windows,
)
from hireslot.calendars.providers.microsoft.notifications import (
    microsoft_delta_sync,
    microsoft_lifecycle_events,
    microsoft_notification_accept,
    microsoft_subscription_create,
    microsoft_subscription_delete,
    microsoft_subscription_renew,
    microsoft_validation_response,
)
from hireslot.calendars.providers.microsoft.oauth import (
    microsoft_authorization_url,
    microsoft_code_exchange,
)
from hireslot.core import clock
from hireslot.core.remote import (
    ConnectionBrokenError,
    OAuthFlow,
    PermanentProviderError,
    TransientProviderError,
)

# getSchedule refuses windows of 62 days or more and more than 20 schedules per call
# (members of a distribution list each count: see _schedule_answers).
SCHEDULE_WINDOW_DAYS = 60
SCHEDULE_BATCH = 20
# A remembered "personal account" is checked again after this long, so a wrong guess heals.
PERSONAL_REPROBE = timedelta(days=1)
# How Graph words its refusal of getSchedule for a personal (consumer, MSA) account.
PERSONAL_ANSWER_WORDS = ("personal", "msa", "consumer")
PRIMARY = "primary"
TEAMS = "teamsForBusiness"
EVENT_FIELDS = "id,subject,start,end,isOnlineMeeting,onlineMeetingProvider,onlineMeeting"


def _ref(event: dict[str, Any]) -> EventRef:
    return EventRef(provider=MicrosoftCalendarProvider.name, event_id=str(event["id"]))


def _join_url(event: dict[str, Any]) -> str:
    meeting = event.get("onlineMeeting")
    return str(meeting.get("joinUrl") or "") if isinstance(meeting, dict) else ""


def _event_path(event_id: str) -> str:
    return f"/me/events/{quote(event_id, safe='')}"


def _body_html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>\n")


def _personal_answer(message: str) -> bool:
    text = message.lower()
    return any(word in text for word in PERSONAL_ANSWER_WORDS)


def _scoped(blocks: list[BusyBlock], scope: str) -> list[BusyBlock]:
    return [replace(block, scope=scope) for block in blocks]


class _PersonalAccountError(Exception):
    """getSchedule refused the account's own mailbox as a personal account."""


def _sequence(event: dict[str, Any]) -> int:
    try:
        return int(marker(event, SEQUENCE_PROPERTY) or 0)
    except ValueError:
        return 0


class MicrosoftCalendarProvider(ConnectedCalendarProvider):
    name = "microsoft"
    conference_link_kind = "teams"
    oauth_flow = OAuthFlow(
        authorization_url=microsoft_authorization_url, code_exchange=microsoft_code_exchange
    )
    # Graph calls the notification URL with a validation token while a subscription is made.
    push_validates_address = True

    # --- interview events ---------------------------------------------------------------

    def event_upsert(self, *, owner: CalendarOwner, spec: EventSpec) -> EventRef:
        with Graph(self.connection) as graph:
            return _ref(self._upsert(graph, spec, teams=False))

    def teams_event_upsert(self, *, owner: CalendarOwner, spec: EventSpec) -> tuple[EventRef, str]:
        """Like ``event_upsert``, with a Teams meeting on the event; returns its join URL.

        Needs a work or school account whose organization allows Teams meetings.
        """
        with Graph(self.connection) as graph:
            event = self._upsert(graph, spec, teams=True)
            join = _join_url(event)
            if not join:
                # Usually in the POST answer already; read once more before giving up.
                event = graph.json("GET", _event_path(str(event["id"])))
                join = _join_url(event)
            if not join:
                raise TransientProviderError(f"{SERVICE} has not made the Teams link yet.")
            return _ref(event), join

    def conference_event_upsert(
        self, *, owner: CalendarOwner, spec: EventSpec
    ) -> tuple[EventRef, str]:
        return self.teams_event_upsert(owner=owner, spec=spec)

    def event_delete(self, *, owner: CalendarOwner, uid: str) -> None:
        with Graph(self.connection) as graph:
            for event in self._find(graph, uid):
                # 404: someone deleted it already, which is what we wanted.
                graph.send("DELETE", _event_path(str(event["id"])), missing_ok=True)

    def _find(self, graph: Graph, uid: str) -> list[dict[str, Any]]:
        return list(
            graph.pages(
                "/me/events",
                params={
                    "$filter": uid_filter(uid),
                    "$select": EVENT_FIELDS,
                    "$expand": MARKER_EXPAND,
                },
            )
        )

    def _upsert(self, graph: Graph, spec: EventSpec, *, teams: bool) -> dict[str, Any]:
        found = self._find(graph, spec.uid)
        if not found:
            if teams:
                self._teams_check(graph)
            calendar = self.connection.event_calendar
            path = f"/me/calendars/{quote(calendar, safe='')}/events" if calendar else "/me/events"
            created = graph.json("POST", path, json=self._fields(spec, teams=teams, create=True))
            return created
        event = found[0]
        if _sequence(event) > spec.sequence:
            # A stale retry from before a reschedule: the newer version stays.
            return event
        online = bool(event.get("isOnlineMeeting"))
        if teams and not online:
            self._teams_check(graph)
        fields = self._fields(spec, teams=teams, create=False)
        if online or teams:
            # Graph appends the Teams meeting blob to the body; writing the body again would
            # drop it (and the link people click). Our description does not change on a
            # reschedule, so the body is written once, at creation.
            fields.pop("body", None)
        return graph.json("PATCH", _event_path(str(event["id"])), json=fields)

    def _fields(self, spec: EventSpec, *, teams: bool, create: bool) -> dict[str, Any]:
        # No attendees: HireSlot emails the candidate its own invite, and Graph would send a
        # second one (and updates) to every attendee.
        fields: dict[str, Any] = {
            "subject": spec.title[:255],
            "body": {"contentType": "HTML", "content": _body_html(spec.description)},
            "start": graph_time(spec.start),
            "end": graph_time(spec.end),
            "showAs": "busy",
            "singleValueExtendedProperties": [
                {"id": UID_PROPERTY, "value": spec.uid},
                {"id": SEQUENCE_PROPERTY, "value": str(spec.sequence)},
            ],
        }
        if spec.location:
            fields["location"] = {"displayName": spec.location[:255]}
        if teams:
            fields["isOnlineMeeting"] = True
            fields["onlineMeetingProvider"] = TEAMS
        if create:
            # Fixed for the event's life (Graph refuses changing it).
            fields["transactionId"] = transaction_id(spec.uid)
            fields["allowNewTimeProposals"] = False
        return fields

    def _teams_check(self, graph: Graph) -> None:
        calendar = self.connection.event_calendar
        path = f"/me/calendars/{quote(calendar, safe='')}" if calendar else "/me/calendar"
        info = graph.json("GET", path, params={"$select": "allowedOnlineMeetingProviders"})
        if TEAMS not in (info.get("allowedOnlineMeetingProviders") or []):
            raise PermanentProviderError(
                f"This {SERVICE} account cannot create Teams meetings (a personal account, or "
                "Teams is off for it); choose another kind of meeting."
            )

    # --- calendars and busy time --------------------------------------------------------

    def calendars_list(self) -> list[CalendarInfo]:
        with Graph(self.connection) as graph:
            return [
                CalendarInfo(
                    id=str(item["id"]),
                    name=str(item.get("name") or ""),
                    primary=bool(item.get("isDefaultCalendar")),
                    can_write=bool(item.get("canEdit", True)),
                )
                for item in graph.pages(
                    "/me/calendars", params={"$select": "id,name,isDefaultCalendar,canEdit"}
                )
            ]

    def busy_read(self, *, start: datetime, end: datetime) -> list[BusyBlock]:
        chosen = list(self.connection.busy_calendars) or [self.connection.account]
        addresses = [item for item in chosen if "@" in item]
        calendar_ids = [item for item in chosen if "@" not in item]
        own = self.connection.account.lower()
        blocks: list[BusyBlock] = []
        with Graph(self.connection) as graph:
            if addresses:
                blocks += self._address_blocks(graph, addresses, own, start, end)
            for calendar_id in calendar_ids:
                view = self._view_blocks(graph, calendar_id, start, end)
                blocks += _scoped(view, f"calendar:{calendar_id}")
        return blocks

    def _address_blocks(
        self, graph: Graph, addresses: list[str], own: str, start: datetime, end: datetime
    ) -> list[BusyBlock]:
        if self._personal_remembered():
            return self._personal(graph, addresses, own, start, end)
        try:
            items, own_refused = self._schedules(graph, addresses, own, start, end)
        except _PersonalAccountError as answer:
            self._remember_unsupported(str(answer))
            return self._personal(graph, addresses, own, start, end)
        if own_refused and _personal_answer(own_refused):
            self._remember_unsupported(own_refused)
            return self._personal(graph, addresses, own, start, end)
        if own_refused:
            # Not the personal-account answer: this read fails, the next one asks again.
            raise TransientProviderError(
                f"{SERVICE} could not show this account's own free/busy: {own_refused}"
            )
        self._forget_unsupported()
        return self._mark_own(graph, items, own, start, end)

    def _personal_remembered(self) -> bool:
        state = self.connection.sync_state
        if state.get("get_schedule") != "unsupported":
            return False
        try:
            checked = datetime.fromisoformat(str(state.get("get_schedule_checked_at")))
        except ValueError:
            return False
        return checked.tzinfo is not None and clock.now() - checked < PERSONAL_REPROBE

    def _remember_unsupported(self, reason: str) -> None:
        state = {**self.connection.sync_state, "get_schedule": "unsupported"}
        state["get_schedule_reason"] = reason[:300]
        state["get_schedule_checked_at"] = clock.now().isoformat()
        self.connection.sync_state = state
        self.connection.on_sync_state(state)

    def _forget_unsupported(self) -> None:
        if "get_schedule" not in self.connection.sync_state:
            return
        state = {
            key: value
            for key, value in self.connection.sync_state.items()
            if not key.startswith("get_schedule")
        }
        self.connection.sync_state = state
        self.connection.on_sync_state(state)

    def _personal(
        self, graph: Graph, addresses: list[str], own: str, start: datetime, end: datetime
    ) -> list[BusyBlock]:
        others = [address for address in addresses if address.lower() != own]
        if others:
            raise PermanentProviderError(
                f"{SERVICE} cannot show other people's free/busy to this account "
                f"({', '.join(others)}); remove them from your busy calendars."
            )
        return _scoped(self._view_blocks(graph, None, start, end), PRIMARY)

    def _schedule_answers(
        self, graph: Graph, batch: list[str], own: str, start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        """getSchedule's answers for ``batch``; a refused batch is asked again in halves."""
        try:
            answer = graph.json(
                "POST",
                "/me/calendar/getSchedule",
                json={
                    "schedules": batch,
                    "startTime": graph_time(start),
                    "endTime": graph_time(end),
                },
            )
        except ConnectionBrokenError:
            raise
        except PermanentProviderError as error:
            if len(batch) > 1:
                # A distribution list's members may have pushed it past 20 schedules.
                half = len(batch) // 2
                return self._schedule_answers(
                    graph, batch[:half], own, start, end
                ) + self._schedule_answers(graph, batch[half:], own, start, end)
            (address,) = batch
            if address.lower() == own:
                if _personal_answer(str(error)):
                    raise _PersonalAccountError(str(error)) from error
                raise TransientProviderError(str(error)) from error
            raise PermanentProviderError(
                f"{SERVICE} cannot show the free/busy of {address} (a distribution list of "
                f"more than {SCHEDULE_BATCH} people cannot be read): {error}"
            ) from error
        return [item for item in answer.get("value") or [] if isinstance(item, dict)]

    def _schedules(
        self, graph: Graph, addresses: list[str], own: str, start: datetime, end: datetime
    ) -> tuple[list[tuple[str, BusyBlock]], str]:
        """Busy items per schedule, and getSchedule's complaint about the own mailbox."""
        items: list[tuple[str, BusyBlock]] = []
        own_refused = ""
        for window_start, window_end in windows(start, end, days=SCHEDULE_WINDOW_DAYS):
            for first in range(0, len(addresses), SCHEDULE_BATCH):
                batch = addresses[first : first + SCHEDULE_BATCH]
                for schedule in self._schedule_answers(graph, batch, own, window_start, window_end):
                    schedule_id = str(schedule.get("scheduleId") or "").lower()
                    error = schedule.get("error")
                    if error:
                        message = str(error.get("message") or error)
                        if schedule_id == own:
                            own_refused = message
                            continue
                        # Showing an unreadable calendar as free would book over it.
                        raise PermanentProviderError(
                            f"{SERVICE} cannot read the free/busy of {schedule_id}: {message}"
                        )
                    for item in schedule.get("scheduleItems") or []:
                        if str(item.get("status", "")).lower() in BUSY_STATUSES:
                            block = BusyBlock(
                                start=time_from_graph(item.get("start")),
                                end=time_from_graph(item.get("end")),
                            )
                            items.append((schedule_id, block))
        return items, own_refused

    def _mark_own(
        self,
        graph: Graph,
        items: list[tuple[str, BusyBlock]],
        own: str,
        start: datetime,
        end: datetime,
    ) -> list[BusyBlock]:
        """The own mailbox's items with HireSlot's interview events given their uid."""
        own_items = [replace(block, scope=PRIMARY) for sid, block in items if sid == own]
        blocks = [replace(block, scope=f"address:{sid}") for sid, block in items if sid != own]
        if not own_items:
            return blocks
        # One interview per (start, end) at most is ours: a colleague's meeting at the same
        # time stays busy.
        ours: dict[tuple[datetime, datetime], list[BusyBlock]] = {}
        for block in self._view_blocks(graph, None, start, end):
            if block.interview_uid:
                ours.setdefault((block.start, block.end), []).append(replace(block, scope=PRIMARY))
        seen: Counter[tuple[datetime, datetime]] = Counter()
        for block in own_items:
            key = (block.start, block.end)
            mine = ours.get(key, [])
            if seen[key] < len(mine):
                block = mine[seen[key]]
            seen[key] += 1
            blocks.append(block)
        return blocks

    def _view_blocks(
        self, graph: Graph, calendar_id: str | None, start: datetime, end: datetime
    ) -> list[BusyBlock]:
        path = (
            f"/me/calendars/{quote(calendar_id, safe='')}/calendarView"
            if calendar_id
            else "/me/calendarView"
        )
        blocks: dict[str, BusyBlock] = {}
        for window_start, window_end in windows(start, end, days=SCHEDULE_WINDOW_DAYS):
            for event in graph.pages(
                path,
                params={
                    "startDateTime": query_time(window_start),
                    "endDateTime": query_time(window_end),
                    "$select": "id,start,end,showAs,isCancelled",
                    "$expand": (
                        f"singleValueExtendedProperties($filter=id eq {odata_quote(UID_PROPERTY)})"
                    ),
                },
            ):
                block = event_block(event)
                if block is not None:
                    blocks[block.ref] = block
        return list(blocks.values())

    # --- change notifications and delta sync ---------------------------------------------

    def push_start(self, *, address: str) -> None:
        # Renewing creates the subscription again when Graph has forgotten it; one made
        # before lifecycle notifications were asked for is replaced by one that has them.
        saved = self.connection.sync_state.get("subscription")
        if isinstance(saved, dict) and saved.get("lifecycle_url"):
            microsoft_subscription_renew(connection=self.connection)
            return
        if saved:
            microsoft_subscription_delete(connection=self.connection)
        microsoft_subscription_create(
            connection=self.connection, notification_url=address, lifecycle_url=address
        )

    def push_stop(self) -> None:
        microsoft_subscription_delete(connection=self.connection)

    def push_receive(self, call: PushCall) -> PushAnswer:
        if "validationToken" in call.query:
            # Graph checks the address when subscribing: its token is echoed as plain text.
            token = microsoft_validation_response(call.query)
            return PushAnswer(status=404) if token is None else PushAnswer(status=200, echo=token)
        body = call.read_json()
        if microsoft_lifecycle_events(body, self.connection):
            return PushAnswer(status=202, refresh=True)
        if not microsoft_notification_accept(body, self.connection):
            return PushAnswer(status=404)
        return PushAnswer(status=202, sync=True)

    def changes_sync(self) -> BusyWindow | None:
        chosen = [item.lower() for item in self.connection.busy_calendars]
        if chosen and self.connection.account.lower() not in chosen:
            # Delta reads the primary calendar, which this person does not count as busy;
            # their chosen calendars are kept fresh by the periodic refresh.
            return None
        blocks = microsoft_delta_sync(self.connection)
        # The delta state keeps the window its delta link covers next to the link.
        window = self.connection.sync_state.get("delta", {})
        return BusyWindow(
            start=_time_from_iso(str(window["start"])),
            end=_time_from_iso(str(window["end"])),
            blocks=_scoped(blocks, PRIMARY),
            scope=PRIMARY,
        )


def _time_from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
