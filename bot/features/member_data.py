"""`/alumni my-data` and `/alumni forget-me`: every feature's share of a member's data."""

from __future__ import annotations

import json
from datetime import datetime

from bot.action_ids import RECORD, action_id
from bot.context import Context
from bot.errors import UserError
from bot.features.intro_card.handlers import no_arguments
from bot.i18n import N_, _, speaking
from bot.messages import Actions, Attachment, Button, Message
from bot.outbound import Direct, Outbound, Update
from bot.router import Feature

feature = Feature("member_data")


@feature.command(
    "my-data",
    summary=N_("Get everything alumni-bot stores about you, as a JSON file"),
    usage="my-data",
    examples=("/alumni my-data",),
)
async def my_data(ctx: Context, args: str) -> None:
    no_arguments(args, "/alumni my-data")
    export = {"exported_at": ctx.now()}
    for provider in ctx.router.personal_data:
        export[provider.name] = await provider.export(ctx.uow, ctx.person.id)
    data = json.dumps(export, indent=2, ensure_ascii=False, default=_json_value).encode()
    ctx.send(
        Message.of(
            _("Here is everything alumni-bot stores about you."),
            Attachment(data, "alumni-bot-my-data.json", "application/json"),
        ),
        Direct(ctx.actor.member),
    )
    ctx.reply(_("I've sent your data to you in a direct message."))


@feature.command(
    "forget-me",
    summary=N_("Delete everything alumni-bot stores about you (asks first)"),
    usage="forget-me",
    examples=("/alumni forget-me",),
)
async def forget_me(ctx: Context, args: str) -> None:
    no_arguments(args, "/alumni forget-me")
    ctx.reply(
        Message.of(
            _(
                "This deletes your profile, your introduction card, your introductions and everything "
                "else alumni-bot stores about you. It can't be undone."
            ),
            Actions(
                (
                    Button(_("Delete my data"), action_id("data", "forget", ctx.person.id), "danger"),
                    Button(_("Keep it"), action_id("data", "keep")),
                )
            ),
        )
    )


@feature.action("data", "forget", RECORD)
async def confirm(ctx: Context, person_id: int) -> None:
    if person_id != ctx.person.id:
        raise UserError(_("This button belongs to someone else's request."), "/alumni forget-me")
    takedowns: list[Outbound] = []
    with speaking(ctx.settings.bot.channel_speaks):  # what a forget redraws is read in channels
        for provider in ctx.router.personal_data:
            if provider.forget is not None:
                takedowns.extend(await provider.forget(ctx.uow, ctx.person.id))
    await ctx.uow.people.delete(ctx.person)
    ctx.queued.extend(takedowns)
    ctx.send(
        Message.of(
            _(
                "Done: everything alumni-bot stored about you is deleted. "
                "If you use the bot again, you start from a blank profile."
            )
        ),
        Update(),
    )


@feature.action("data", "keep")
async def keep(ctx: Context) -> None:
    ctx.send(Message.of(_("Nothing was deleted.")), Update())


def _json_value(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__}")
