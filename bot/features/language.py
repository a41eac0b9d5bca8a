"""`/alumni language [en|es|fr|pt|auto]`: the language the bot speaks to a member.

Without an argument it says which language is spoken and why, with a button for each choice;
`auto` goes back to following the platform's locale. App Home and one's own profile offer the same
choice as a menu (`menu`). A confirmation is said in the newly chosen language."""

from __future__ import annotations

from bot.action_ids import Maybe, OneOf, action_id
from bot.context import Context
from bot.errors import UserError, stale_button
from bot.i18n import LANGUAGES, N_, _, language_from_locale, language_of, use_language
from bot.messages import Actions, Button, Message, Option, Section, Select
from bot.router import Feature, Param
from bot.text import fold

AUTO = "auto"
CHOICES = (*LANGUAGES, AUTO)
EXAMPLE = "/alumni language es"
# What members may type besides the codes: each language's own name, and its English one.
NAMES = {fold(name.split(" ")[0]): code for code, name in LANGUAGES.items()} | {
    "english": "en",
    "spanish": "es",
    "french": "fr",
    "portuguese": "pt",
}
AUTO_WORDS = frozenset({AUTO, "automatic", "platform", "default", "reset"})
FOLLOW = N_("Follow my platform")

feature = Feature("language")


@feature.command(
    "language",
    summary=N_("Choose the language I speak to you"),
    usage="language [en|es|fr|pt|auto]",
    examples=(EXAMPLE, "/alumni language auto", "/alumni language"),
    params=(
        Param(
            "language",
            N_("en, es, fr or pt; auto follows your Slack or Discord language"),
            kind="choice",
            required=False,
            choices=CHOICES,
            choice_labels=(*LANGUAGES.values(), FOLLOW),
        ),
    ),
    details=N_(
        "Without a language, shows the one I speak to you now. Portuguese is Brazilian Portuguese. "
        "auto goes back to the language of your Slack or Discord."
    ),
)
async def language(ctx: Context, args: str) -> None:
    word = args.strip()
    if not word:
        ctx.reply(current(ctx))
        return
    choose(ctx, parse(word))


@feature.action("language", "set", Maybe(OneOf(CHOICES)))
async def chosen(ctx: Context, code: str | None) -> None:
    """A button carries its language; the menu's choice is the option picked."""
    choose(ctx, picked(ctx, code))


def picked(ctx: Context, code: str | None = None) -> str:
    """The language a button carries, or the option picked in a menu."""
    chosen = code or getattr(ctx.event, "value", None) or ""
    if chosen not in CHOICES:
        raise stale_button()
    return chosen


def parse(word: str, example: str = EXAMPLE) -> str:
    """The choice `word` names (a code, a language's name, a locale or `auto`)."""
    folded = fold(word)
    if folded in AUTO_WORDS:
        return AUTO
    code = NAMES.get(folded) or language_from_locale(word.strip())
    if code is None:
        raise UserError(
            _(
                "I don't speak \u201c{word}\u201d. Choose en, es, fr or pt, "
                "or auto to follow the language of your Slack or Discord."
            ).format(word=word),
            example,
        )
    return code


def choose(ctx: Context, code: str) -> None:
    ctx.person.language = "" if code == AUTO else code
    spoken = language_of(ctx.person, ctx.settings)
    use_language(spoken)  # the confirmation is in the language just chosen
    if code == AUTO:
        said = _("I'll follow the language of your Slack or Discord again: {language} for now.")
    else:
        said = _("From now on I'll speak {language} to you.")
    ctx.reply(said.format(language=LANGUAGES[spoken]))


def current(ctx: Context) -> Message:
    spoken = LANGUAGES[language_of(ctx.person, ctx.settings)]
    if ctx.person.language:
        said = _("I speak {language} to you, as you chose.")
    else:
        said = _("I speak {language} to you, following your Slack or Discord.")
    buttons = tuple(
        Button(
            name, action_id("language", "set", code), "primary" if code == ctx.person.language else "default"
        )
        for code, name in LANGUAGES.items()
    )
    follow = Button(_(FOLLOW), action_id("language", "set", AUTO))
    return Message((Section((said.format(language=spoken),)), Actions((*buttons, follow))))


def menu(ctx: Context, action: str = action_id("language", "set")) -> Select:
    """The choice as one menu, for App Home and one's own profile. Each language is named in its
    own words, so a reader finds theirs whatever the bot speaks now."""
    options = tuple(Option(name, code) for code, name in LANGUAGES.items())
    return Select(
        _("Language"),
        action,
        (*options, Option(_(FOLLOW), AUTO)),
        initial=ctx.person.language or AUTO,
    )
