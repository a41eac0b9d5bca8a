"""A batch's delivery as the one who started it sees it, edited in place: "Sent 1,200 of 5,000
introductions, about 1 h 05 left", then a summary (sent, and what failed and why). Written in the
language of the one who started it (the batch carries it), whichever process sends the edit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.i18n import _, join_list, ngettext, number
from bot.messages import Message
from storage.outbox import BatchCounts

# What a batch's messages are (Batch.noun), counted: "1 introduction", "5,000 introductions".
COUNTED: dict[str, Callable[[int], str]] = {
    "introduction": lambda n: ngettext("{count} introduction", "{count} introductions", n),
}


def progress_message(noun: str, counts: BatchCounts, now: datetime) -> Message:
    if counts.unfinished == 0:
        return summary(noun, counts)
    if counts.done == 0:
        return starting(noun, counts.total)
    left = time_left(counts, now)
    return Message.of(
        _("Sent {done} of {total}, {time_left}.").format(
            done=number(counts.done), total=many(counts.total, noun), time_left=left
        )
    )


def starting(noun: str, total: int) -> Message:
    """The message before anything was delivered."""
    return Message.of(_("Sending {total}\u2026").format(total=many(total, noun)))


def summary(noun: str, counts: BatchCounts) -> Message:
    failed = sum(counts.failed.values())
    if not failed:
        template = ngettext("Sent {total}.", "Sent all {total}.", counts.total)
        return Message.of(template.format(total=many(counts.total, noun)))
    reasons = join_list(
        [
            _("{reason} ({count})").format(reason=why or _("no reason given"), count=number(count))
            for why, count in counts.failed.items()
        ]
    )
    return Message.of(
        ngettext(
            "Sent {sent} of {total}; {failed} could not be delivered: {reasons}.",
            "Sent {sent} of {total}; {failed} could not be delivered: {reasons}.",
            failed,
        ).format(
            sent=number(counts.sent), total=many(counts.total, noun), failed=number(failed), reasons=reasons
        )
    )


def many(count: int, noun: str) -> str:
    """ "1 introduction", "5,000 introductions", as the language being spoken writes them."""
    return COUNTED[noun](count).format(count=number(count))


def time_left(counts: BatchCounts, now: datetime) -> str:
    """From the rate measured since the batch was written."""
    elapsed = now - counts.since
    remaining = elapsed / counts.done * counts.unfinished if elapsed > timedelta(0) else timedelta(0)
    minutes = round(remaining.total_seconds() / 60)
    if minutes < 1:
        return _("less than a minute left")
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("about {hours} h {minutes} left").format(hours=hours, minutes=f"{minutes:02d}")
    return _("about {minutes} min left").format(minutes=minutes)
