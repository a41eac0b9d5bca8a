"""Reading times and repeating them, with a fixed clock: DST, month ends, first Tuesdays, leap years."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import recurrence
from bot.errors import UserError
from bot.when import When, parse_when

LONDON = "Europe/London"
SAO_PAULO = "America/Sao_Paulo"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # a Tuesday


def local(moment: datetime, zone: str) -> str:
    return f"{moment.astimezone(ZoneInfo(zone)):%a %Y-%m-%d %H:%M}"


def read(text: str, zone: str, now: datetime) -> tuple[When, str]:
    return parse_when(text, zone, now)


def occurrences(text: str, zone: str, now: datetime, count: int) -> list[str]:
    when, _ = read(text, zone, now)
    times, moment = [when.first], when.first
    while len(times) < count and when.rule:
        following = recurrence.next_after(when.rule, when.anchor or now, zone, moment)
        assert following is not None
        times.append(following)
        moment = following
    return [local(t, zone) for t in times]


@pytest.mark.parametrize(
    ("text", "first", "repeats", "rest"),
    [
        ("in 20 minutes stretch", "Tue 2026-11-24 09:20", "", "stretch"),
        ("tomorrow at 9 send the report", "Wed 2026-11-25 09:00", "", "send the report"),
        ("on 12 March at 15:00 board meeting", "Fri 2027-03-12 15:00", "", "board meeting"),
        ("next Friday call Ana", "Fri 2026-11-27 09:00", "", "call Ana"),
        ("every weekday at 9:00 stand-up", "Wed 2026-11-25 09:00", "every weekday at 09:00", "stand-up"),
        ("every first Tuesday at 15:00 demo", "Tue 2026-12-01 15:00", "every first Tuesday at 15:00", "demo"),
        (
            "every 2 weeks on Monday at 10 sync",
            "Mon 2026-12-07 10:00",
            "every 2 weeks on Monday at 10:00",
            "sync",
        ),
        ("every month on the 1st pay", "Tue 2026-12-01 09:00", "every month on the 1st at 09:00", "pay"),
    ],
)
def test_the_issue_examples_parse(text: str, first: str, repeats: str, rest: str) -> None:
    when, left = parse_when(text, LONDON, NOW)
    assert local(when.first, LONDON) == first
    assert when.repeats == repeats
    assert left == rest


def test_relative_times_follow_the_clock() -> None:
    later = NOW + timedelta(days=3, hours=5)
    when, _ = read("in 20 minutes x", LONDON, later)
    assert when.first == later + timedelta(minutes=20)


def test_times_are_read_in_the_creators_zone() -> None:
    when, _ = read("tomorrow at 9 x", "Asia/Tokyo", NOW)
    assert local(when.first, "Asia/Tokyo") == "Wed 2026-11-25 09:00"
    assert when.first == datetime(2026, 11, 25, 0, 0, tzinfo=UTC)


def test_weekly_time_stays_local_across_london_spring_forward() -> None:
    now = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    when, _ = read("every Tuesday at 15:00 x", LONDON, now)
    times = occurrences("every Tuesday at 15:00 x", LONDON, now, 3)
    assert times == ["Tue 2026-03-24 15:00", "Tue 2026-03-31 15:00", "Tue 2026-04-07 15:00"]
    assert when.first.hour == 15  # GMT before the change ...
    following = recurrence.next_after(when.rule, when.anchor or now, LONDON, when.first)
    assert following is not None and following.hour == 14  # ... 14:00 UTC after it


@pytest.mark.parametrize(
    ("zone", "now", "typed", "jump"),
    [
        # 01:00 GMT -> 02:00 BST on 28 March 2027: 01:30 does not exist in London.
        (LONDON, datetime(2027, 3, 27, 0, 0, tzinfo=UTC), "1:30", "Sun 2027-03-28 02:00"),
        # 02:00 CET -> 03:00 CEST the same night in Berlin.
        ("Europe/Berlin", datetime(2027, 3, 27, 0, 0, tzinfo=UTC), "2:30", "Sun 2027-03-28 03:00"),
        # 02:00 NZST -> 03:00 NZDT on 26 September 2027 in Auckland.
        ("Pacific/Auckland", datetime(2027, 9, 24, 12, 0, tzinfo=UTC), "2:30", "Sun 2027-09-26 03:00"),
    ],
)
def test_a_skipped_local_time_comes_just_after_the_jump(
    zone: str, now: datetime, typed: str, jump: str
) -> None:
    """`now` is the day before, just after midnight there: the second daily time is the jump."""
    day = jump.split()[1]
    assert occurrences(f"every day at {typed} x", zone, now, 3)[1] == jump
    once, _ = read(f"on {day} at {typed} x", zone, now)
    assert local(once.first, zone) == jump
    relative, _ = read(f"in 1 day at {typed} x", zone, now)
    assert local(relative.first, zone) == jump


def test_a_repeated_local_time_fires_once_in_autumn() -> None:
    # 01:30 happens twice in London on 25 October 2026; the reminder comes once, the first time.
    now = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    when, _ = read("every day at 1:30 x", LONDON, now)
    first = recurrence.next_after(when.rule, when.anchor or now, LONDON, now)
    second = recurrence.next_after(when.rule, when.anchor or now, LONDON, first or now)
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert second == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)


def test_sao_paulo_dst_of_2018_and_no_dst_today() -> None:
    # Brazil's clocks jumped from 00:00 to 01:00 on 4 November 2018 and fell back on 17 February 2019.
    now = datetime(2018, 11, 2, 12, 0, tzinfo=UTC)
    assert occurrences("every day at 0:30 x", SAO_PAULO, now, 3) == [
        "Sat 2018-11-03 00:30",
        "Sun 2018-11-04 01:00",
        "Mon 2018-11-05 00:30",
    ]
    autumn = occurrences("every day at 23:30 x", SAO_PAULO, datetime(2019, 2, 15, 12, 0, tzinfo=UTC), 3)
    assert autumn == ["Fri 2019-02-15 23:30", "Sat 2019-02-16 23:30", "Sun 2019-02-17 23:30"]
    when, _ = read("every day at 9:00 x", SAO_PAULO, NOW)
    assert when.first == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # UTC-3 all year since 2019


def test_month_ends() -> None:
    now = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
    assert occurrences("every month on the last day x", LONDON, now, 4) == [
        "Sun 2027-01-31 09:00",
        "Sun 2027-02-28 09:00",
        "Wed 2027-03-31 09:00",
        "Fri 2027-04-30 09:00",
    ]
    # RFC 5545: months without a 31st are skipped ("the last day" is the way to say month ends).
    assert occurrences("every month on the 31st x", LONDON, now, 3) == [
        "Sun 2027-01-31 09:00",
        "Wed 2027-03-31 09:00",
        "Mon 2027-05-31 09:00",
    ]


def test_first_tuesday_and_last_friday() -> None:
    assert occurrences("every first Tuesday at 15:00 x", LONDON, NOW, 3) == [
        "Tue 2026-12-01 15:00",
        "Tue 2027-01-05 15:00",
        "Tue 2027-02-02 15:00",
    ]
    assert occurrences("every last Friday of the month x", LONDON, NOW, 2) == [
        "Fri 2026-11-27 09:00",
        "Fri 2026-12-25 09:00",
    ]


def test_leap_years() -> None:
    assert occurrences("every year on 29 February x", LONDON, NOW, 2) == [
        "Tue 2028-02-29 09:00",
        "Sun 2032-02-29 09:00",
    ]
    when, _ = read("on 29 February 2028 at 10:00 x", LONDON, NOW)
    assert local(when.first, LONDON) == "Tue 2028-02-29 10:00"
    feb = [t for t in occurrences("every month on the 29th x", LONDON, NOW, 16) if "-02-" in t]
    assert feb == ["Tue 2028-02-29 09:00"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("whenever you like x", "I can't tell when"),
        ("every blue moon x", "I can't tell when"),
        ("every day at 25:00 x", "“25:00” is not a time of day"),
        ("yesterday x", "in the past"),
        ("on 1 January 2020 x", "in the past"),
        ("every 5 minutes x", "at most every 15 minutes"),
        ("every minute x", "at most every 15 minutes"),
    ],
)
def test_bad_times_say_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_when(text, LONDON, NOW)
    assert problem in raised.value.text()
    assert "Try:" in raised.value.text()


@pytest.mark.parametrize(
    ("text", "first", "rest"),
    [
        ("in 3 days at 10:00 x", "Fri 2026-11-27 10:00", "x"),
        ("in 1 hour and 30 minutes x", "Tue 2026-11-24 10:30", "x"),
        ("in 2 hours and then call", "Tue 2026-11-24 11:00", "and then call"),
        ("in an hour x", "Tue 2026-11-24 10:00", "x"),
        ("tonight x", "Tue 2026-11-24 20:00", "x"),
        ("tomorrow x", "Wed 2026-11-25 09:00", "x"),  # a day without a time means 9:00
        ("at 8:00 x", "Wed 2026-11-25 08:00", "x"),  # passed today: tomorrow
        ("at 17:00 tomorrow x", "Wed 2026-11-25 17:00", "x"),
        ("Tue 1 Dec at 15:00 x", "Tue 2026-12-01 15:00", "x"),
        ("on 29 February x", "Tue 2028-02-29 09:00", "x"),  # the next one there is
        ("2027-03-12 at 9am x", "Fri 2027-03-12 09:00", "x"),
        ("March 12th 2027 x", "Fri 2027-03-12 09:00", "x"),
        ("12th of March x", "Fri 2027-03-12 09:00", "x"),
        ("tuesday 3 things", "Tue 2026-12-01 09:00", "3 things"),  # today's 9:00 has passed
        ("next tuesday x", "Tue 2026-12-01 09:00", "x"),
        ("tomorrow at 9 pm x", "Wed 2026-11-25 21:00", "x"),
        ("tomorrow at noon  two  spaces", "Wed 2026-11-25 12:00", "two  spaces"),
    ],
)
def test_one_off_times_take_only_their_own_words(text: str, first: str, rest: str) -> None:
    when, left = parse_when(text, LONDON, NOW)
    assert (local(when.first, LONDON), left) == (first, rest)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("tomorrow at 25:99 x", "\u201c25:99\u201d is not a time of day"),
        ("at 13pm x", "\u201c13pm\u201d is not a time of day"),
        ("at 0am x", "\u201c0am\u201d is not a time of day"),
        ("on 31 April x", "There is no 31 April: April has at most 30 days."),
        ("on 29 February 2027 x", "There is no 29 February 2027: February 2027 has 28 days."),
        ("2027-13-01 x", "has no month 13"),
        ("Mon 1 Dec 2026 x", "1 December 2026 is a Tuesday, not a Monday."),
        ("every month on the 32nd x", "No month has a 32nd day."),
        ("in 1001 days x", "I can't tell when"),
        ("in \u00b2 hours x", "I can't tell when"),
        ("every \u0663 days x", "I can't tell when"),
    ],
)
def test_impossible_times_say_why(text: str, problem: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_when(text, LONDON, NOW)
    assert problem in raised.value.text() and "Try:" in raised.value.text()
