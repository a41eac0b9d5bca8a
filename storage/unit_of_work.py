"""One transaction and the repositories that work inside it. Repositories never commit;
the unit of work does, once, when the event has been handled."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.cards import CardRepository
from storage.cohorts import CohortRepository
from storage.connections import ConnectionRepository
from storage.deliveries import DeliveryRepository
from storage.introductions import IntroductionRepository
from storage.matching import MatchingRepository
from storage.people import PeopleRepository
from storage.polls import PollRepository
from storage.reminders import ReminderRepository
from storage.roundtables import RoundtableRepository
from storage.schedules import ScheduleRepository
from storage.search import SearchRepository


class UnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.people = PeopleRepository(session)
        self.cohorts = CohortRepository(session)
        self.cards = CardRepository(session)
        self.connections = ConnectionRepository(session)
        self.deliveries = DeliveryRepository(session)
        self.introductions = IntroductionRepository(session)
        self.schedules = ScheduleRepository(session)
        self.reminders = ReminderRepository(session)
        self.matching = MatchingRepository(session)
        self.polls = PollRepository(session)
        self.roundtables = RoundtableRepository(session)
        self.search = SearchRepository(session)
