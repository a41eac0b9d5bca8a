"""The schema. Every personal row hangs off `people.id` with ON DELETE CASCADE,
so forgetting a person removes everything that names them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


def person_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)


class Person(Base):
    """One human, whatever platforms they use; the profile lives here."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(80))
    organisation: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    region: Mapped[str] = mapped_column(String(40), default="")
    region_is_override: Mapped[bool] = mapped_column(default=False)
    timezone: Mapped[str] = mapped_column(String(64), default="")
    locale: Mapped[str] = mapped_column(String(16), default="")
    # The language the member chose (bot.i18n.LANGUAGES); "" follows their platform's locale.
    language: Mapped[str] = mapped_column(String(8), default="")
    # The platform the member chose to be reached on; "" follows the one they used last.
    reach_platform: Mapped[str] = mapped_column(String(16), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    profile_saved_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    # Small and needed wherever a person is shown, so always loaded with them.
    identities: Mapped[list[Identity]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )
    tags: Mapped[list[ProfileTag]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ProfileTag.position", lazy="selectin"
    )

    def tag_labels(self, kind: str) -> list[str]:
        return [t.label for t in self.tags if t.kind == kind]


class Identity(Base):
    """A platform account (platform, workspace, user id) tied to one person."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("platform", "workspace", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = person_fk()
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(80))
    last_used_at: Mapped[datetime | None]
    person: Mapped[Person] = relationship(back_populates="identities", lazy="raise")


class LinkCode(Base):
    """A one-time `/alumni link` code, kept hashed, that joins its identity's person with the
    one who types it on another platform (bot.features.linking)."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # The identity that entered the code and is choosing which profile to keep; only it may
    # finish the link.
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("identities.id", ondelete="CASCADE"))


class LinkAttempt(Base):
    """A wrong code entered with `/alumni link <code>`: a few per identity in a while, no more."""

    __tablename__ = "link_attempts"
    __table_args__ = (Index("ix_link_attempts_identity_id_attempted_at", "identity_id", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id", ondelete="CASCADE"))
    attempted_at: Mapped[datetime]


class ProfileTag(Base):
    """A topic the person can help with or wants to learn, or a language they speak.

    `key` is the label folded for search, so "Open-Data", "open data" and "opendata" meet.
    """

    __tablename__ = "profile_tags"
    __table_args__ = (
        CheckConstraint("kind IN ('expertise', 'learning', 'language')", name="kind"),
        Index("ix_profile_tags_kind_key", "kind", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = person_fk()
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(default=0)


class SearchEntry(Base):
    """One searchable part of a saved profile (its name, a topic, its country…), written by
    storage.search whenever the profile is flushed. `terms` are the folded search terms that
    the database's full-text index reads (FTS5 on SQLite, a GIN tsvector on PostgreSQL)."""

    __tablename__ = "search_entries"

    # Set by storage.search.entry_id: it tells the person and the field without a lookup.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False
    )
    person_id: Mapped[int] = person_fk()
    field: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(Text)
    terms: Mapped[str] = mapped_column(Text)


class SearchWord(Base):
    """A word of the search index (in a spaced script), where near spellings are found through a
    trigram index and run-together words ("opendata") are read."""

    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(String(80), primary_key=True)


class Cohort(Base):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime]


class CohortMember(Base):
    __tablename__ = "cohort_members"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime]


class IntroRequest(Base):
    """`/alumni introduce <topic>`: who asked, about what, and their note."""

    __tablename__ = "intro_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = person_fk()
    subject: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime]
    candidates: Mapped[list[IntroCandidate]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="IntroCandidate.rank", lazy="selectin"
    )


class IntroCandidate(Base):
    """A person proposed for a request; `state` walks proposed -> asked -> accepted/declined/expired."""

    __tablename__ = "intro_candidates"
    __table_args__ = (
        CheckConstraint("state IN ('proposed', 'asked', 'accepted', 'declined', 'expired')", name="state"),
        Index("ix_intro_candidates_state_asked_at", "state", "asked_at"),
    )

    request_id: Mapped[int] = mapped_column(
        ForeignKey("intro_requests.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    rank: Mapped[int]
    reason: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(16), default="proposed")
    asked_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    person: Mapped[Person] = relationship(lazy="selectin")


class Connection(Base):
    """Two people the bot has put in touch (an introduction, a match); `person_a < person_b`."""

    __tablename__ = "connections"
    __table_args__ = (
        CheckConstraint("person_a < person_b", name="ordered"),
        Index("ix_connections_pair", "person_a", "person_b"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_a: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    person_b: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]


class InboxEvent(Base):
    """What a platform delivered, stored before the platform is acknowledged (bot.inbox).

    `key` (platform and delivery id) recognises a redelivery. Processing an event marks it
    done in the same transaction as its effects, and clears `payload`, so a processed row
    says nothing about who did what.
    """

    __tablename__ = "inbox"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'done', 'failed')", name="state"),
        Index("ix_inbox_state_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    platform: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(8), default="pending")
    received_at: Mapped[datetime] = mapped_column(index=True)
    processed_at: Mapped[datetime | None]


class OutboxItem(Base):
    """A message, edit or deletion to deliver, written with the change that implies it (bot.outbox).

    Items of one `lane` (a conversation, or a posted message's name) go out in id order.
    `started_at` is set just before the platform is called: an item found with it set, and
    not sent, may have arrived.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'sending', 'sent', 'failed', 'cancelled')", name="state"),
        Index("ix_outbox_state_due_at", "state", "due_at"),
        Index("ix_outbox_lane_id", "lane", "id"),
        Index("ix_outbox_batch_state", "batch", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    platform: Mapped[str] = mapped_column(String(16))
    lane: Mapped[str] = mapped_column(String(200))
    item: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[datetime]
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None] = mapped_column(index=True)
    error: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]
    # The batch an item belongs to (a matching round's introductions), whose progress is shown.
    batch: Mapped[str | None] = mapped_column(String(80))


class PostedMessage(Base):
    """A message the bot posted under a name ("poll:12", "card:5:slack:T1"), to update or take
    down later; written by the outbox when the post is delivered."""

    __tablename__ = "posted_messages"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))
    posted_at: Mapped[datetime]


class HealthCheck(Base):
    """Written by every health check: proof the database takes a write (bot.health)."""

    __tablename__ = "health_checks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    checked_at: Mapped[datetime]


class InstallationSecret(Base):
    """Secret material this installation made for itself at first start (the anonymous
    ballots' key, bot.features.polls.ballots), where every process on the database finds it."""

    __tablename__ = "installation_secrets"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]


class Schedule(Base):
    """One timed thing: its next due time (UTC) and its rule when it repeats.

    The row is the only truth (see bot.scheduling): an occurrence fires in the transaction
    that locks its row, writes its messages to the outbox and moves the row on.
    """

    __tablename__ = "schedules"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'done', 'missed', 'failed')", name="state"),
        Index("ix_schedules_state_due_at", "state", "due_at"),
        Index("ix_schedules_kind_subject_id", "kind", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int]
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    # The platform whose process may fire it; "" lets any process fire it.
    platform: Mapped[str] = mapped_column(String(16), default="")
    due_at: Mapped[datetime]
    # An RFC 5545 RRULE (without DTSTART) read from `anchor_at` in `zone`; "" for a one-off.
    rule: Mapped[str] = mapped_column(String(200), default="")
    anchor_at: Mapped[datetime | None]
    zone: Mapped[str] = mapped_column(String(64), default="UTC")
    state: Mapped[str] = mapped_column(String(16), default="pending")
    # Failed attempts at this occurrence (a handler that raised); reset when it moves on.
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]


class Reminder(Base):
    """`/alumni remind`: what to say, to whom; its times live in `schedules` (kind "reminders.deliver")."""

    __tablename__ = "reminders"
    __table_args__ = (CheckConstraint("target IN ('person', 'channel', 'cohort')", name="target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int] = person_fk()
    target: Mapped[str] = mapped_column(String(8))
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    # A channel target: its platform id ("C0123") from a mention, or "#name" as typed.
    channel: Mapped[str] = mapped_column(String(80), default="")
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(500))
    # How the time was understood ("every first Tuesday at 15:00"), shown in lists.
    repeats: Mapped[str] = mapped_column(String(120), default="")
    zone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime]


class ReminderAnswer(Base):
    """Done or Snooze on one delivered occurrence of a reminder: the first press is final, so
    the same message's other buttons are spent. `recipient` is the person whose copy it was
    (0 for a channel's one message); `person_id` who pressed."""

    __tablename__ = "reminder_answers"
    __table_args__ = (CheckConstraint("answer IN ('done', 'snoozed')", name="answer"),)

    reminder_id: Mapped[int] = mapped_column(ForeignKey("reminders.id", ondelete="CASCADE"), primary_key=True)
    due_at: Mapped[datetime] = mapped_column(primary_key=True)
    recipient: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = person_fk()
    answer: Mapped[str] = mapped_column(String(8))
    snoozed_until: Mapped[datetime | None]
    answered_at: Mapped[datetime]


class MatchSettings(Base):
    """A member's matching preferences, kept while they are opted in to at least one cohort."""

    __tablename__ = "match_settings"
    __table_args__ = (CheckConstraint("frequency IN ('weekly', 'biweekly', 'monthly')", name="frequency"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    frequency: Mapped[str] = mapped_column(String(16), default="weekly")
    paused_until: Mapped[datetime | None]
    # Introductions in a row whose check-in the member left unanswered; at the limit they are paused.
    unanswered: Mapped[int] = mapped_column(default=0)
    joined_at: Mapped[datetime]


class MatchMembership(Base):
    """An opt-in: the member takes part in the rounds of this cohort."""

    __tablename__ = "match_memberships"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class MatchAvoid(Base):
    """ "Please don't pair me with": private to `person_id`, never shown to anyone else."""

    __tablename__ = "match_avoids"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    avoided_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class MatchPlan(Base):
    """Rounds of a cohort (or of alumni with a newer cohort) on a cadence; its times are schedule
    rows of kind "matching.round"."""

    __tablename__ = "match_plans"
    __table_args__ = (CheckConstraint("cadence IN ('weekly', 'biweekly', 'monthly')", name="cadence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    partner_cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    cadence: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]


class MatchRound(Base):
    """One round. `key` names what started it (a schedule occurrence or a command), so a timer
    that runs again for the same occurrence finds the round it already made."""

    __tablename__ = "match_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    partner_cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    extra_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None]  # when unanswered check-ins were counted
    # Ended before its time by a facilitator (`ends_at` is then when): its members are free
    # for the next round at once, whatever their frequency.
    ended_early: Mapped[bool] = mapped_column(default=False)
    groups: Mapped[list[MatchGroup]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="MatchGroup.id", lazy="selectin"
    )


class MatchGroup(Base):
    """A pair or trio of one round."""

    __tablename__ = "match_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("match_rounds.id", ondelete="CASCADE"), index=True)
    score: Mapped[int]
    # The time suggested in the introduction, or the one its members agreed on since (None: no
    # shared working hours). `meeting_code` names the group's room in [matching] meeting_url_template.
    meets_at: Mapped[datetime | None]
    meeting_code: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # Other times one member proposed ("another time"), ISO instants separated by spaces, until
    # another member accepts one.
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    proposed_times: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # How many times the meeting moved: the calendar file's SEQUENCE, so calendars update it.
    reschedules: Mapped[int] = mapped_column(default=0, server_default="0")
    members: Mapped[list[MatchGroupMember]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="MatchGroupMember.position",
        lazy="selectin",
    )


class MatchGroupMember(Base):
    """One member of a group and their check-in answer ("yes", "not yet", "no"), recorded once."""

    __tablename__ = "match_group_members"
    __table_args__ = (CheckConstraint("answer IN ('yes', 'not yet', 'no')", name="answer"),)

    group_id: Mapped[int] = mapped_column(ForeignKey("match_groups.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    answer: Mapped[str | None] = mapped_column(String(8))
    answered_at: Mapped[datetime | None]


class Tie(Base):
    """Two members who met for the first time (a check-in "yes" in their group), kept as they
    meet so the insights count new ties without searching the whole matching history.
    `person_a < person_b`; `round_id` and `first_met_at` are those of their first meeting."""

    __tablename__ = "ties"

    person_a: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    person_b: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    round_id: Mapped[int] = mapped_column(ForeignKey("match_rounds.id", ondelete="CASCADE"), index=True)
    first_met_at: Mapped[datetime]


class Poll(Base):
    """A poll (`kind` "choice") or a roundtable's time-slot poll ("slots"), posted in `channel_id`
    as the message named "poll:<id>" (posted_messages).

    `dirty_since` is set by the first vote not yet shown on the message; the refresh it
    schedules clears it (see bot.features.polls.service), so edits are coalesced across processes.
    """

    __tablename__ = "polls"
    __table_args__ = (
        CheckConstraint("kind IN ('choice', 'slots')", name="kind"),
        CheckConstraint("state IN ('open', 'closed')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    question: Mapped[str] = mapped_column(String(300))
    multi: Mapped[bool] = mapped_column(default=False)
    anonymous: Mapped[bool] = mapped_column(default=False)
    hidden: Mapped[bool] = mapped_column(default=False)
    # Polls are the community's: a forgotten creator leaves the poll without a name.
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(8), default="open")
    closes_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    dirty_since: Mapped[datetime | None]
    shown_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    options: Mapped[list[PollOption]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="PollOption.position", lazy="selectin"
    )


class PollOption(Base):
    """One answer of a poll; for a time-slot poll, `starts_at` is the slot."""

    __tablename__ = "poll_options"
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime | None]


class PollVote(Base):
    """One voter's answer to one option. The primary key makes each answer count once.

    `voter_key` is "p<person id>" on open polls; on anonymous polls it is a keyed hash of
    the poll and the voter (bot.features.polls.ballots), and `person_id` is NULL, so nothing in the
    database says who voted what. There is no sequential key (on SQLite not even a rowid) and
    no time, and rows are kept in key order (storage.polls.shuffle_ballots), so neither the
    rows' order nor their transactions say who voted when.
    """

    __tablename__ = "poll_votes"
    __table_args__ = (
        CheckConstraint("answer IN ('yes', 'maybe', 'no')", name="answer"),
        {"sqlite_with_rowid": False},
    )

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True)
    voter_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    option_id: Mapped[int] = mapped_column(
        ForeignKey("poll_options.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    answer: Mapped[str] = mapped_column(String(8), default="yes")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    # The platform the vote came from, when the poll is posted on several; "" on anonymous polls.
    platform: Mapped[str] = mapped_column(String(16), server_default="")


class RoundtableSuggestion(Base):
    """`/alumni roundtable suggest`: a topic, open until a facilitator puts it to a poll."""

    __tablename__ = "roundtable_suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(200))
    suggested_by: Mapped[int] = person_fk()
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(64))
    poll_id: Mapped[int | None] = mapped_column(ForeignKey("polls.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime]


class Roundtable(Base):
    """A session chosen by a time-slot poll; one per poll (the unique key keeps it single)."""

    __tablename__ = "roundtables"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    minutes: Mapped[int] = mapped_column(default=60)
    poll_id: Mapped[int | None] = mapped_column(ForeignKey("polls.id", ondelete="SET NULL"), unique=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class ChannelCopy(Base):
    """A further channel, on any platform, where a poll (`poll_id`) or the roundtable its
    time-slot poll made (`roundtable_id`) is posted too: the message named "copy:<id>"
    (posted_messages), refreshed with the original, answered as the original."""

    __tablename__ = "channel_copies"
    __table_args__ = (CheckConstraint("(poll_id IS NULL) <> (roundtable_id IS NULL)", name="one_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int | None] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    roundtable_id: Mapped[int | None] = mapped_column(
        ForeignKey("roundtables.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class Rsvp(Base):
    __tablename__ = "roundtable_rsvps"
    __table_args__ = (CheckConstraint("answer IN ('going', 'maybe', 'no')", name="answer"),)

    roundtable_id: Mapped[int] = mapped_column(
        ForeignKey("roundtables.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    answer: Mapped[str] = mapped_column(String(8))
    answered_at: Mapped[datetime]


class ReminderFiring(Base):
    """One occurrence of a reminder as the timer met it: on time, late or missed (bot.scheduling),
    kept so facilitators can see whether reminders arrive (storage.insights)."""

    __tablename__ = "reminder_firings"
    __table_args__ = (CheckConstraint("status IN ('on time', 'late', 'missed')", name="status"),)

    reminder_id: Mapped[int] = mapped_column(ForeignKey("reminders.id", ondelete="CASCADE"), primary_key=True)
    due_at: Mapped[datetime] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(8))
    fired_at: Mapped[datetime] = mapped_column(index=True)


class RoundtableAttendance(Base):
    """ "I came" pressed on the check-in posted after a roundtable."""

    __tablename__ = "roundtable_attendance"

    roundtable_id: Mapped[int] = mapped_column(
        ForeignKey("roundtables.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    answered_at: Mapped[datetime]


class DashboardPass(Base):
    """A way into the insights dashboard for one facilitator: a sign-in link (`kind` "link",
    15 minutes, spent on first use) or the session it opened ("session", kept in a cookie).
    Only a hash of the secret is stored, so the table opens nothing by itself."""

    __tablename__ = "dashboard_passes"
    __table_args__ = (CheckConstraint("kind IN ('link', 'session')", name="kind"),)

    secret_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    person_id: Mapped[int] = person_fk()
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]
