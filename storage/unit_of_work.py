"""One transaction and the repositories that work inside it. Repositories never commit;
the unit of work does, once, when the event has been handled."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.cohorts import CohortRepository
from storage.connections import ConnectionRepository
from storage.copies import CopyRepository
from storage.dashboard_passes import DashboardPassRepository
from storage.health import HealthRepository
from storage.inbox import InboxRepository
from storage.introductions import IntroductionRepository
from storage.link_codes import LinkCodeRepository
from storage.matching import MatchingRepository
from storage.outbox import OutboxRepository
from storage.people import PeopleRepository
from storage.polls import PollRepository
from storage.posted import PostedRepository
from storage.reminders import ReminderRepository
from storage.roundtables import RoundtableRepository
from storage.schedules import ScheduleRepository
from storage.search import SearchRepository
from storage.secrets import SecretRepository


class UnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.people = PeopleRepository(session)
        self.cohorts = CohortRepository(session)
        self.connections = ConnectionRepository(session)
        self.health = HealthRepository(session)
        self.inbox = InboxRepository(session)
        self.outbox = OutboxRepository(session)
        self.posted = PostedRepository(session)
        self.introductions = IntroductionRepository(session)
        self.schedules = ScheduleRepository(session)
        self.reminders = ReminderRepository(session)
        self.matching = MatchingRepository(session)
        self.polls = PollRepository(session)
        self.roundtables = RoundtableRepository(session)
        self.copies = CopyRepository(session)
        self.secrets = SecretRepository(session)
        self.search = SearchRepository(session)
        self.dashboard_passes = DashboardPassRepository(session)
        self.link_codes = LinkCodeRepository(session)
