"""Imports every domain's models so metadata (Alembic, tests) sees all tables."""

from service.access.models import ApiToken, OidcIdentity, Team, User, UserSession
from service.brugere.models import UserChange
from service.cases.models import Case, CaseCounter, Underretning
from service.committee.models import CommitteeMeeting, CommitteeReferral
from service.deadlines.models import Notification, Timer
from service.dokumenter.models import Dokument
from service.engine.models import ProcessInstance, ProcessVersion
from service.idempotency.models import IdempotencyKey
from service.inbox.models import HumanTask
from service.indsatsvifte.models import IndividuelKontrakt, Indsats, Leverandoer, Standardkontrakt
from service.journal.models import JournalEntry
from service.ledelsesinformation.models import Stikproeve
from service.letters.models import Brev
from service.maalopfoelgning.models import Maalvurdering
from service.metrics.models import Heartbeat
from service.notater.models import Notat
from service.oekonomi.models import Betaling, Betalingsimport, Budget
from service.parter.models import Part, UngSamtykke
from service.process_models.models import ModelDraft
from service.vagtplan.models import Vagt
from service.visninger.models import Visning

__all__ = ["ApiToken", "Betaling", "Betalingsimport", "Brev", "Budget", "Case", "CaseCounter", "CommitteeMeeting",
           "CommitteeReferral", "Dokument",
           "Heartbeat", "HumanTask", "IdempotencyKey", "IndividuelKontrakt", "Indsats", "JournalEntry", "Leverandoer",
           "Maalvurdering", "ModelDraft", "Notat", "Notification", "OidcIdentity", "Part", "ProcessInstance",
           "ProcessVersion", "Standardkontrakt", "Stikproeve", "Team", "Timer", "Underretning", "UngSamtykke", "User",
           "UserChange", "UserSession", "Vagt", "Visning"]
