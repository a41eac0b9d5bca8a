"""`/alumni help [command]`: every command with an example, or one explained."""

from __future__ import annotations

from bot.context import Context
from bot.core import COMMAND
from bot.errors import UserError
from bot.messages import Field, Message, Section, Strong, rich
from bot.router import Param, Router


def register(router: Router) -> None:
    @router.command(
        "help",
        summary="List every command, or explain one",
        usage="help [command]",
        examples=("/alumni help", "/alumni help find"),
        params=(Param("command", "A command to explain", required=False),),
    )
    async def show_help(ctx: Context, args: str) -> None:
        name = args.strip().lower().removeprefix("/").removeprefix(f"{COMMAND} ")
        ctx.reply(explain(ctx, name) if name else overview(ctx))


def overview(ctx: Context) -> Message:
    visible = [s for s in ctx.router.commands.values() if ctx.is_facilitator or not s.facilitator_only]
    fields = tuple(
        Field(f"/{COMMAND} {spec.usage}", (f"{spec.summary}. e.g. {spec.examples[0]}",)) for spec in visible
    )
    aliases = ", ".join(f"/{name}" for name in ctx.router.aliases)
    footer = f"Shortcuts: {aliases}. " if aliases else ""
    return Message(
        (
            Section(rich(Strong("alumni-bot commands")), fields),
            Section((f"{footer}/{COMMAND} help <command> explains one.",)),
        )
    )


def explain(ctx: Context, name: str) -> Message:
    spec = ctx.router.commands.get(name)
    if spec is None:
        raise UserError(f"There is no command \u201c{name}\u201d.", f"/{COMMAND} help")
    lines = [spec.summary + "."]
    if spec.details:
        lines.append(spec.details)
    if spec.facilitator_only:
        lines.append("Facilitators only.")
    return Message(
        (
            Section(rich(Strong(f"/{COMMAND} {spec.usage}"), "\n" + "\n".join(lines))),
            Section(("Examples:\n" + "\n".join(spec.examples),)),
        )
    )
