"""What the bot says a repeat is can be typed back: in each language, the description of a rule
reads as the same rule (the words a member sees after "then" in a confirmation or a listing)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.i18n import speaking
from bot.when import describe, parse_when

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
RULES = (
    "every day at 8:00",
    "every 3 days at 7:15",
    "every weekday at 9:00",
    "every Monday",
    "every Monday and Thursday at 9:30",
    "every Monday, Wednesday and Friday at 17:00",
    "every other Friday at 3pm",
    "every 2 weeks on Monday at 10",
    "every first Tuesday at 15:00",
    "every second Wednesday",
    "every last Friday of the month",
    "every 2 months on the first Tuesday",
    "every month on the 1st",
    "every 2 months on the 15th at 12:00",
    "every month on the last day",
    "every 3 months on the last day",
    "every year on 29 February",
    "every year on 3 March at 10:00",
    "every 2 years",
    "every week",
    "every 30 minutes",
    "every hour",
    "every 2 hours",
)


def rule_of(text: str, language: str) -> dict[str, str]:
    with speaking(language):
        when, _rest = parse_when(f"{text} x", "Europe/London", NOW)
    return dict(part.split("=", 1) for part in when.rule.split(";"))


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
@pytest.mark.parametrize("typed", RULES)
def test_a_described_repeat_reads_back_as_the_same_rule(language: str, typed: str) -> None:
    rule = rule_of(typed, "en")
    with speaking(language):
        described = describe(";".join(f"{k}={v}" for k, v in rule.items()))
    assert rule_of(described, language) == rule, described


@pytest.mark.parametrize(
    ("language", "typed", "described"),
    [
        ("es", "cada primer martes a las 15:00", "cada primer martes a las 15:00"),
        ("fr", "chaque premier mardi à 15h", "chaque premier mardi à 15:00"),
        ("pt", "toda primeira terça às 15:00", "toda primeira terça-feira às 15:00"),
        ("en", "every first Tuesday at 15:00", "every first Tuesday at 15:00"),
    ],
)
def test_every_first_tuesday_reads_as_typed(language: str, typed: str, described: str) -> None:
    rule = rule_of(typed, language)
    assert rule == rule_of("every first Tuesday at 15:00", "en")
    with speaking(language):
        assert describe(";".join(f"{k}={v}" for k, v in rule.items())) == described
