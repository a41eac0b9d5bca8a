"""What a feature declares (commands, button and form handlers, join hooks, timers: what fires
per schedule kind, and its share of a member's data) and the router that gathers every feature
at start. Built once and passed to the core.

A feature module declares `feature = Feature("polls")` and decorates its module-level handlers
with it, in the spirit of a Flask blueprint or a discord.py cog; `bot.app` includes each one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from bot.action_ids import Arg, Handler, Route, check_arity

if TYPE_CHECKING:
    from bot.context import Context
    from bot.outbound import Outbound
    from bot.scheduling import TimerContext
    from storage.unit_of_work import UnitOfWork

CommandHandler = Callable[["Context", str], Awaitable[None]]
# Action handlers take (context, *arguments), form handlers (context, values, *arguments):
# the arguments as their ids declare them (bot.action_ids), read and checked by the core.
# Join and direct-message handlers take the context alone.
JoinHandler = Callable[["Context"], Awaitable[None]]
# What fires when an occurrence of a schedule kind comes due (see bot.scheduling).
TimerHandler = Callable[["TimerContext"], Awaitable[None]]
Exporter = Callable[["UnitOfWork", int], Awaitable[Any]]
# Deletes what cascading from `people` does not, and returns what to take down in chat.
Forgetter = Callable[["UnitOfWork", int], Awaitable[Sequence["Outbound"]]]


@dataclass(frozen=True)
class Param:
    """One argument of a command, so platforms with typed options can offer it."""

    name: str
    description: str
    kind: Literal["text", "member", "topic", "timezone", "choice"] = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    # How platforms with typed choices show each one (marked with N_() to translate); the value where absent.
    choice_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommandSpec:
    name: str
    summary: str
    usage: str
    examples: tuple[str, ...]
    handler: CommandHandler
    params: tuple[Param, ...] = ()
    details: str = ""
    alias: bool = False
    facilitator_only: bool = False
    # A member command's facilitator-only verbs ("match run | end | …"), listed apart in help.
    facilitator_usage: str = ""
    facilitator_summary: str = ""


@dataclass(frozen=True)
class PersonalData:
    """How one feature exports and forgets a member's data (Red-DiscordBot's red_delete_data_for_user)."""

    name: str
    export: Exporter
    forget: Forgetter | None = None


class Registry:
    """Handlers by what triggers them; filled by the decorators below."""

    def __init__(self) -> None:
        self.commands: dict[str, CommandSpec] = {}
        self.actions: dict[tuple[str, str], Route] = {}
        self.forms: dict[tuple[str, str], Route] = {}
        self.join_handlers: list[JoinHandler] = []
        self.message_handlers: list[JoinHandler] = []
        self.personal_data: list[PersonalData] = []
        self.timers: dict[str, TimerHandler] = {}

    def command(
        self,
        name: str,
        *,
        summary: str,
        usage: str,
        examples: tuple[str, ...],
        params: tuple[Param, ...] = (),
        details: str = "",
        alias: bool = False,
        facilitator_only: bool = False,
        facilitator_usage: str = "",
        facilitator_summary: str = "",
    ) -> Callable[[CommandHandler], CommandHandler]:
        def register(handler: CommandHandler) -> CommandHandler:
            if name in self.commands:
                raise ValueError(f"command {name!r} registered twice")
            self.commands[name] = CommandSpec(
                name,
                summary,
                usage,
                examples,
                handler,
                params,
                details,
                alias,
                facilitator_only,
                facilitator_usage,
                facilitator_summary,
            )
            return handler

        return register

    def action(self, feature: str, verb: str, *args: Arg) -> Callable[[Handler], Handler]:
        """A button or menu: `feature:verb:<arg>…`, each argument read as `args` say."""

        def register(handler: Handler) -> Handler:
            check_arity(handler, 1, args)
            self.actions[(feature, verb)] = Route(handler, args)
            return handler

        return register

    def form(self, feature: str, verb: str, *args: Arg) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            check_arity(handler, 2, args)
            self.forms[(feature, verb)] = Route(handler, args)
            return handler

        return register

    def timer(self, kind: str) -> Callable[[TimerHandler], TimerHandler]:
        def register(handler: TimerHandler) -> TimerHandler:
            if kind in self.timers:
                raise ValueError(f"timer {kind!r} registered twice")
            self.timers[kind] = handler
            return handler

        return register

    def on_join(self, handler: JoinHandler) -> JoinHandler:
        self.join_handlers.append(handler)
        return handler

    def on_direct_message(self, handler: JoinHandler) -> JoinHandler:
        """What answers a member who writes to the bot directly."""
        self.message_handlers.append(handler)
        return handler

    def data(self, name: str, export: Exporter, forget: Forgetter | None = None) -> None:
        self.personal_data.append(PersonalData(name, export, forget))


class Feature(Registry):
    """One feature's handlers, declared at module level and included by the router at start."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def timer(self, kind: str) -> Callable[[TimerHandler], TimerHandler]:
        """Schedule kinds are named `<feature>.<what fires>` ("polls.close"), so a row in
        `schedules` tells which feature's handler fires it."""
        feature, _, what = kind.partition(".")
        if feature != self.name or not what.isidentifier():
            raise ValueError(f"timer {kind!r} of feature {self.name!r} is not named {self.name}.<what>")
        return super().timer(kind)


class Router(Registry):
    def include(self, feature: Registry) -> None:
        """Add a feature's handlers; a name taken twice is a mistake caught at start."""
        for name in feature.commands:
            if name in self.commands:
                raise ValueError(f"command {name!r} registered twice")
        for kind in feature.timers:
            if kind in self.timers:
                raise ValueError(f"timer {kind!r} registered twice")
        self.commands.update(feature.commands)
        self.actions.update(feature.actions)
        self.forms.update(feature.forms)
        self.timers.update(feature.timers)
        self.join_handlers.extend(feature.join_handlers)
        self.message_handlers.extend(feature.message_handlers)
        self.personal_data.extend(feature.personal_data)

    @property
    def aliases(self) -> list[str]:
        return [spec.name for spec in self.commands.values() if spec.alias]
