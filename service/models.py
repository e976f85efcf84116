"""Imports every domain's models so metadata (Alembic, tests) sees all tables."""

from service.access.models import ApiToken, Team, User, UserSession
from service.cases.models import Case, CaseCounter, Underretning
from service.committee.models import CommitteeMeeting, CommitteeReferral
from service.deadlines.models import Notification, Timer
from service.engine.models import ProcessInstance
from service.inbox.models import HumanTask
from service.journal.models import JournalEntry
from service.process_models.models import ProcessVersion

__all__ = ["ApiToken", "Case", "CaseCounter", "CommitteeMeeting", "CommitteeReferral", "HumanTask", "JournalEntry",
           "Notification", "ProcessInstance", "ProcessVersion", "Team", "Timer", "Underretning", "User", "UserSession"]
