"""Who came to a roundtable: when it ends, its channel (and each copy's) is asked, and each
"I came" is counted (the insights figures compare it with the RSVPs)."""

from __future__ import annotations

from bot.action_ids import RECORD, action_id
from bot.context import Context
from bot.errors import UserError
from bot.features.insights.commands import feature
from bot.features.roundtables.service import CHECK_IN, places
from bot.i18n import _, speaking
from bot.messages import Actions, Button, Message, Section, Strong, filled
from bot.outbound import Public
from bot.scheduling import TimerContext
from storage.unit_of_work import UnitOfWork


@feature.timer(CHECK_IN)
async def ask_who_came(ctx: TimerContext) -> None:
    found = await ctx.uow.roundtables.get(ctx.occurrence.subject_id)
    if found is None or ctx.occurrence.status == "missed":
        return  # asked days later, the answers would say little
    with speaking(ctx.settings.bot.channel_speaks):  # the channel reads it
        asked = Message(
            (
                Section(
                    filled(_("The roundtable {topic} has ended. Were you there?"), topic=Strong(found.topic))
                ),
                Actions((Button(_("I came"), action_id("rt", "came", found.id), "primary"),)),
            )
        )
        for place in await places(ctx.uow, found):
            ctx.send(asked, Public(place.channel))


@feature.action("rt", "came", RECORD)
async def came(ctx: Context, roundtable_id: int) -> None:
    found = await ctx.uow.roundtables.get(roundtable_id)
    if found is None:
        raise UserError(_("That roundtable no longer exists."), "/alumni roundtables")
    if found.starts_at > ctx.now():
        raise UserError(_("That roundtable hasn't started yet."), "/alumni roundtables")
    counted = await ctx.uow.roundtables.came(found.id, ctx.person.id, ctx.now())
    ctx.reply(_("Thanks: you're counted as there.") if counted else _("You're already counted as there."))


async def export_attendance(uow: UnitOfWork, person_id: int) -> list[dict[str, object]]:
    return [
        {"roundtable": row.roundtable_id, "said_at": row.answered_at}
        for row in await uow.roundtables.attended_by(person_id)
    ]


feature.data("roundtable_attendance", export_attendance)
