"""Which language the bot speaks, to whom, and the catalogs it reads.

Member-facing strings are marked with `_()` (and `ngettext` for plurals), always with named
placeholders filled in afterwards: `_("Saved {name}.").format(name=...)`. A string that must be
defined before anyone reads it (a module constant) is marked with `N_()` and translated where it
is used, with `_(CONSTANT)`.

The language is a context variable: the core speaks the acting member's language while it
handles their event; code that writes to someone else wraps that in `speaking(language_of(…))`,
and to a channel in `speaking(settings.bot.channel_language)`.

Catalogs are the `.po` files under bot/locale/, read with Babel when first needed, so there is no
compiled file to keep in step with its source. `make messages` extracts and updates them.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

if TYPE_CHECKING:
    from bot.config import Settings
    from storage.models import Person

DOMAIN = "alumni-bot"
CATALOG_DIR = Path(__file__).parent / "locale"
SOURCE = "en"
# The language codes members type (/alumni language pt), and what each one is.
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español", "fr": "Français", "pt": "Português (Brasil)"}
# Brazilian Portuguese: the catalog and Babel's formats are pt_BR.
_LOCALES: dict[str, str] = {"en": "en", "es": "es", "fr": "fr", "pt": "pt_BR"}

_language: ContextVar[str] = ContextVar("language", default=SOURCE)


def N_(message: str) -> str:
    """Marks a string for the catalog without translating it yet (translate it with `_()` later)."""
    return message


def _(message: str) -> str:
    return _translations(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations(_language.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` as said in `context`: where a language needs to know more than English says
    (Portuguese weekdays are feminine, but Saturday and Sunday masculine)."""
    return _translations(_language.get()).pgettext(context, message)


def current_language() -> str:
    return _language.get()


def current_locale() -> Locale:
    """The Babel locale of the language being spoken: dates, numbers and lists follow it."""
    return babel_locale(_language.get())


def babel_locale(language: str) -> Locale:
    return Locale.parse(_LOCALES.get(language, SOURCE))


def join_list(items: Sequence[str], style: str = "standard") -> str:
    """ "a, b and c" in the language being spoken (style "or" for alternatives)."""
    return format_list(list(items), style=style, locale=current_locale())  # type: ignore[arg-type]


def label_value(label: str, value: str) -> str:
    """ "Country: Kenya", with the space French puts before its colon ("Pays : Kenya")."""
    return _("{label}: {value}").format(label=label, value=value)


def number(value: float) -> str:
    """1,234 or 1.234 or 1 234, as the language being spoken writes it."""
    return format_decimal(value, locale=current_locale())


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak `language` inside the block (an unknown one is the source language)."""
    token = _language.set(language if language in LANGUAGES else SOURCE)
    try:
        yield
    finally:
        _language.reset(token)


def use_language(language: str) -> None:
    """Speak `language` until the enclosing `speaking` block ends (once the speaker is known)."""
    _language.set(language if language in LANGUAGES else SOURCE)


def language_from_locale(locale: str | None) -> str | None:
    """The bot's language for a platform locale ("es-419", "pt-BR", "fr_CA"), or None."""
    if not locale:
        return None
    code = locale.replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


def choose_language(chosen: str, locale: str | None, default: str) -> str:
    """The member's own choice, else their platform's locale, else the configured default."""
    if chosen in LANGUAGES:
        return chosen
    return language_from_locale(locale) or (default if default in LANGUAGES else SOURCE)


def language_of(person: Person, settings: Settings) -> str:
    """The language to speak to `person` in: wrap what is written to them in `speaking(…)`."""
    return choose_language(person.language, person.locale, settings.bot.default_language)


def catalog_path(language: str) -> Path:
    return CATALOG_DIR / _LOCALES[language] / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _translations(language: str) -> gettext.NullTranslations:
    if language == SOURCE or language not in LANGUAGES or not catalog_path(language).exists():
        return gettext.NullTranslations()
    with catalog_path(language).open("rb") as source:
        catalog = read_po(source, locale=_LOCALES[language], domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)
