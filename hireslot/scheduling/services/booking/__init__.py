"""Booking, rescheduling and cancelling: single interviews (``single``) and loops (``loops``
books one, ``loop_changes`` moves or cancels it, ``loop_swap`` swaps one seat), safe under
any concurrency, through the same steps (``common``, ``loop_sessions``); the public names are
importable from here.

``interview_book``, ``interview_reschedule`` and ``interview_cancel`` take a loop's request
or any of its sessions too and act on the whole loop (``loop_book`` …).
"""

from hireslot.scheduling.services.booking.loop_changes import loop_cancel, loop_reschedule
from hireslot.scheduling.services.booking.loop_swap import loop_session_swap
from hireslot.scheduling.services.booking.loops import loop_book
from hireslot.scheduling.services.booking.single import (
    interview_book,
    interview_cancel,
    interview_reschedule,
)

__all__ = [
    "interview_book",
    "interview_cancel",
    "interview_reschedule",
    "loop_book",
    "loop_cancel",
    "loop_reschedule",
    "loop_session_swap",
]
