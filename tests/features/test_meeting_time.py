"""The pure time-to-meet computation: properties over zones, weekends and moments (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.features.matching.meeting_time import (
    HORIZON,
    MEETING,
    Attendee,
    other_times,
    suggested,
    times_to_meet,
)
from bot.features.matching.weekends import weekend_of

ZONES = (
    "Africa/Nairobi",
    "America/Sao_Paulo",
    "America/Los_Angeles",
    "America/St_Johns",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Riyadh",
    "Asia/Tehran",
    "Australia/Adelaide",
    "Europe/London",
    "Pacific/Auckland",
    "Pacific/Chatham",
)
WEEKENDS = (frozenset({5, 6}), frozenset({4, 5}), frozenset({4}), frozenset({6}))

attendees = st.lists(
    st.builds(Attendee, st.sampled_from(ZONES), st.sampled_from(WEEKENDS)), min_size=2, max_size=3
)
moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


def at_work(attendee: Attendee, start: datetime) -> bool:
    """Within 09:00-18:00 of one local working day, the whole meeting long."""
    zone = ZoneInfo(attendee.zone)
    begins, ends = start.astimezone(zone), (start + MEETING).astimezone(zone)
    return (
        begins.date() == ends.date()
        and begins.weekday() not in attendee.weekend
        and time(9) <= begins.time()
        and ends.time() <= time(18)
    )


@settings(max_examples=300, deadline=None)
@given(attendees, moments)
def test_every_time_is_inside_everyones_working_hours_on_a_weekday_within_7_days(
    group: list[Attendee], now: datetime
) -> None:
    for start in times_to_meet(group, now):
        assert now < start <= now + HORIZON
        assert all(at_work(a, start) for a in group), (start, group)


@settings(max_examples=200, deadline=None)
@given(attendees, moments)
def test_the_same_group_at_the_same_moment_gets_the_same_times(group: list[Attendee], now: datetime) -> None:
    first = suggested(group, now)
    assert first == suggested(list(group), now)
    assert times_to_meet(group, now) == times_to_meet(list(group), now)
    others = other_times(group, now, first)
    assert first not in others and len(others) <= 3
    assert set(others) <= set(times_to_meet(group, now))
    if first is not None:
        assert first in times_to_meet(group, now)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(ZONES), moments)
def test_one_zone_gets_a_time_on_five_days_of_seven(zone: str, now: datetime) -> None:
    # Two members of one zone share the whole working day: one time on each working day.
    group = [Attendee(zone, frozenset({5, 6}))] * 2
    assert len({t.astimezone(ZoneInfo(zone)).date() for t in times_to_meet(group, now)}) in (5, 6)


def test_a_first_suggestion_leaves_a_day_to_read_the_introduction() -> None:
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)  # a Tuesday
    group = [Attendee("Africa/Nairobi", frozenset({5, 6})), Attendee("America/Sao_Paulo", frozenset({5, 6}))]
    # Nairobi 09-18 is 06-15 UTC, São Paulo 09-18 is 12-21 UTC: the middle of 12-15 is 13:00-13:30.
    assert suggested(group, now) == datetime(2026, 11, 25, 13, tzinfo=UTC)
    assert other_times(group, now, suggested(group, now)) == [
        datetime(2026, 11, 24, 13, tzinfo=UTC),
        datetime(2026, 11, 26, 13, tzinfo=UTC),
        datetime(2026, 11, 27, 13, tzinfo=UTC),
    ]


def test_riyadh_and_london_never_meet_on_a_friday_saturday_or_sunday() -> None:
    group = [Attendee("Asia/Riyadh", weekend_of("SA")), Attendee("Europe/London", weekend_of("GB"))]
    days = {t.strftime("%a") for t in times_to_meet(group, datetime(2026, 11, 24, tzinfo=UTC))}
    assert days == {"Mon", "Tue", "Wed", "Thu"}


def test_no_shared_working_hours_no_time() -> None:
    group = [Attendee("Pacific/Auckland", frozenset({5, 6})), Attendee("Africa/Nairobi", frozenset({5, 6}))]
    assert times_to_meet(group, datetime(2026, 11, 24, tzinfo=UTC)) == []


def test_weekends_come_from_the_country_or_else_the_locale() -> None:
    assert weekend_of("SA") == {4, 5} and weekend_of("IR") == {4} and weekend_of("IN") == {6}
    assert weekend_of("", "ar_EG") == {4, 5} and weekend_of("", "fa-IR") == {4}
    assert weekend_of("GB", "ar_EG") == weekend_of("", "") == weekend_of("", "nonsense") == {5, 6}
