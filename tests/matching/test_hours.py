from datetime import UTC, date, datetime, time

from bot.features.matching.matcher import WorkingDay
from bot.features.matching.matcher.hours import overlap, whole_hours


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), UTC)


def test_london_and_new_york_share_four_hours_in_winter():
    day = date(2025, 1, 15)
    found = overlap(["Europe/London", "America/New_York"], day)
    assert (found.start, found.end) == (utc(day, 14), utc(day, 18))


def test_between_the_two_daylight_saving_changes_they_share_five_hours():
    # The US moved its clocks on 9 March 2025, the UK only on 30 March.
    day = date(2025, 3, 12)
    found = overlap(["Europe/London", "America/New_York"], day)
    assert (found.start, found.end) == (utc(day, 13), utc(day, 18))


def test_after_both_changes_they_share_four_hours_again():
    day = date(2025, 4, 15)
    found = overlap(["Europe/London", "America/New_York"], day)
    assert (found.start, found.end) == (utc(day, 13), utc(day, 17))


def test_across_the_date_line_the_next_day_counts():
    # Auckland's Tuesday morning is Los Angeles' Monday afternoon.
    found = overlap(["Pacific/Auckland", "America/Los_Angeles"], date(2025, 1, 7))
    assert found.hours == 6


def test_no_shared_working_hour_means_none():
    assert overlap(["Asia/Tokyo", "America/New_York"], date(2025, 1, 7)) is None
    assert whole_hours(["Asia/Tokyo", "America/New_York"], date(2025, 1, 7)) == 0


def test_less_than_the_shortest_meeting_is_no_overlap():
    # Lisbon 09-18 is 09-18 UTC; Los Angeles 09-18 is 17-02 UTC: one hour in winter.
    assert overlap(["Europe/Lisbon", "America/Los_Angeles"], date(2025, 1, 7)).hours == 1
    shorter = WorkingDay(end=time(17))
    assert overlap(["Europe/Lisbon", "America/Los_Angeles"], date(2025, 1, 7), shorter) is None


def test_a_trio_shares_only_the_hours_all_three_work():
    found = overlap(["Europe/Berlin", "Africa/Nairobi", "America/New_York"], date(2025, 1, 15))
    assert (found.start, found.end) == (utc(date(2025, 1, 15), 14), utc(date(2025, 1, 15), 15))


def test_half_an_hour_is_an_overlap_worth_naming():
    # Kolkata 09-18 is 03:30-12:30 UTC; São Paulo 09-18 is 12:00-21:00 UTC; London 09-18 in winter.
    found = overlap(["Asia/Kolkata", "America/Sao_Paulo", "Europe/London"], date(2026, 11, 24))
    assert (found.start, found.end) == (utc(date(2026, 11, 24), 12), utc(date(2026, 11, 24), 12, 30))
    assert whole_hours(["Asia/Kolkata", "America/Sao_Paulo"], date(2026, 11, 24)) == 0
