"""Start-up wiring: the followers of every engine step, in the order they run (service/engine/followers.py).

Read this list to know what happens when a task is completed or a timer fires: the engine moves, then, in one
transaction, each follower below brings its own tables in line with the step. A new follower (a letter, a
summary row, a notification) is one function in its domain and one line here.
"""

from __future__ import annotations

from service.cases import status as case_status
from service.committee import service as committees
from service.deadlines import service as deadlines
from service.engine import followers
from service.inbox import service as inbox
from service.journal import service as journal


def install() -> None:
    followers.install([
        ("journal: called processes and decision tables", journal.follow_step),
        ("inbox: open and close user tasks", inbox.follow_step),
        ("deadlines: escalations to the team leader on duty", deadlines.assign_escalations_after_step),
        ("deadlines: timers, breaches and warnings", deadlines.follow_step),
        ("committee: referrals to the committees", committees.follow_step),
        ("cases: status and phase", case_status.follow_step),
    ])
