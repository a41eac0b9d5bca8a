"""A batch's delivery as the one who started it sees it, edited in place: "Sent 1,200 of 5,000
introductions, about 1 h 05 left", then a summary (sent, and what failed and why)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.messages import Message
from storage.outbox import BatchCounts


def progress_message(noun: str, counts: BatchCounts, now: datetime) -> Message:
    if counts.unfinished == 0:
        return summary(noun, counts)
    if counts.done == 0:
        return starting(noun, counts.total)
    left = time_left(counts, now)
    return Message.of(f"Sent {counts.done:,} of {many(counts.total, noun)}, {left}.")


def starting(noun: str, total: int) -> Message:
    """The message before anything was delivered."""
    return Message.of(f"Sending {many(total, noun)}\u2026")


def summary(noun: str, counts: BatchCounts) -> Message:
    failed = sum(counts.failed.values())
    if not failed:
        return Message.of(f"Sent {'all ' if counts.total > 1 else ''}{many(counts.total, noun)}.")
    reasons = ", ".join(f"{why or 'no reason given'} ({number:,})" for why, number in counts.failed.items())
    return Message.of(
        f"Sent {counts.sent:,} of {many(counts.total, noun)}; {failed:,} could not be delivered: {reasons}."
    )


def many(number: int, noun: str) -> str:
    """ "1 introduction", "5,000 introductions"."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def time_left(counts: BatchCounts, now: datetime) -> str:
    """From the rate measured since the batch was written."""
    elapsed = now - counts.since
    remaining = elapsed / counts.done * counts.unfinished if elapsed > timedelta(0) else timedelta(0)
    minutes = round(remaining.total_seconds() / 60)
    if minutes < 1:
        return "less than a minute left"
    hours, minutes = divmod(minutes, 60)
    return f"about {hours} h {minutes:02d} left" if hours else f"about {minutes} min left"
