"""The catalogs are whole and in step with the code, and the code marks what members read.

Each check is also run on a deliberately broken copy, to show it fails when it should. The
unmarked-string check prints `file:line: literal` for each string it finds: run this file to see
what a module still lacks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import write_po

from bot.i18n import CATALOG_DIR, LANGUAGES, SOURCE, catalog_path
from tests.languages.catalog_checks import (
    SOURCES,
    Unmarked,
    catalog_problems,
    extracted,
    fuzzy,
    out_of_step,
    placeholder_mismatches,
    read_catalog,
    unmarked,
    unmarked_in,
    untranslated,
)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = CATALOG_DIR / "alumni-bot.pot"

# Modules whose prose no member reads: what operators read (the command line, start-up errors,
# configuration, metrics) stays English, and a grammar holds the words members type.
NOT_READ = {
    "adapters/cli.py": "the operators' command line",
    "adapters/report.py": "the open-data report command, run by operators",
    "bot/features/insights/report.py": "the published open-data report: in English, like its field names",
    "adapters/metrics.py": "Prometheus metric descriptions",
    "adapters/slack/__init__.py": "start-up errors for the operator",
    "adapters/discord/__init__.py": "start-up errors for the operator",
    "adapters/slack/manifest.py": "the Slack app manifest has one language",
    "bot/config.py": "configuration errors for the operator",
    "bot/health.py": "the health check read by operators and probes",
    "bot/time_words.py": "the words members type for times, in each language",
}

# Literals that look like prose but are not read as sentences, each with its reason.
ALLOWED = {
    ("bot/i18n.py", "Português (Brasil)"): "each language is named in its own words, so a reader finds it",
    ("bot/scheduling.py", "on time"): "an occurrence's status value, never shown",
    ("bot/features/insights/charts.py", "upper left"): "a Matplotlib legend position",
    ("adapters/discord/commands.py", "all guilds (global)"): "named in log lines only",
    ("adapters/dashboard/routes.py", "f'attachment; filename=\"{name}\"'"): "a Content-Disposition header",
    (
        "adapters/dashboard/routes.py",
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'self'",
    ): "a Content-Security-Policy header",
}

TRANSLATED = sorted(language for language in LANGUAGES if language != SOURCE)


@pytest.fixture(scope="module")
def marked() -> set[tuple[str, str | None]]:
    return extracted(ROOT)


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_catalog_is_whole_and_in_step_with_the_code(
    language: str, marked: set[tuple[str, str | None]]
) -> None:
    problems = catalog_problems(catalog_path(language).relative_to(ROOT), marked)
    assert not problems, "\n".join(problems)


def test_the_template_is_in_step_with_the_code(marked: set[tuple[str, str | None]]) -> None:
    problems = out_of_step(TEMPLATE.relative_to(ROOT), marked)
    assert not problems, "\n".join(problems)


def modules() -> list[Path]:
    return sorted(
        path
        for folder in SOURCES
        for path in (ROOT / folder).rglob("*.py")
        if path.relative_to(ROOT).as_posix() not in NOT_READ
    )


def found_strings() -> list[Unmarked]:
    return list(unmarked(ROOT, modules()))


def test_member_facing_strings_are_marked() -> None:
    missed = [str(found) for found in found_strings() if (found.path, found.literal) not in ALLOWED]
    assert not missed, "\n".join(missed)


def test_the_lists_of_exceptions_are_current() -> None:
    """An exception the code no longer has leaves ALLOWED."""
    found = found_strings()
    assert sorted(set(ALLOWED) - {(f.path, f.literal) for f in found}) == [], "gone: remove from ALLOWED"
    assert sorted(p for p in NOT_READ if not (ROOT / p).exists()) == []


# --- The checks fail on a broken catalog --------------------------------------------------------


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the Spanish catalog with one fault of each kind, written as a .po file."""
    catalog = read_catalog(catalog_path("es"))
    catalog["Edit my profile"].string = ""
    catalog["Next"].flags.add("fuzzy")
    catalog["Hello, {name}"].string = "Hola, {nombre}"
    catalog.add(("{count} apple", "{count} apples"), ("{count} manzana", "{count} manzanas", ""))
    catalog.delete("Previous")
    path = tmp_path / "alumni-bot.po"
    with path.open("wb") as out:
        write_po(out, catalog, width=0)
    return path


def test_a_missing_translation_fails_in_any_plural_form(broken: Path) -> None:
    problems = untranslated(broken)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "'Edit my profile' is not translated (every msgstr form must be filled)",
        "'{count} apple' is not translated (every msgstr form must be filled)",
    ]


def test_a_fuzzy_entry_fails(broken: Path) -> None:
    assert [p.split(": ", 1)[1] for p in fuzzy(broken)] == [
        "'Next' is fuzzy: check the translation, then remove the '#, fuzzy' flag"
    ]


def test_placeholders_that_differ_from_the_source_fail(broken: Path) -> None:
    assert [p.split(": ", 1)[1] for p in placeholder_mismatches(broken)] == [
        "'Hello, {name}' form 0 has placeholders ['nombre'], the source has ['name']"
    ]


def test_a_catalog_out_of_step_with_the_code_fails(broken: Path, marked: set[tuple[str, str | None]]) -> None:
    problems = [p.split(": ", 1)[1] for p in out_of_step(broken, marked)]
    hint = "run `make -o .venv/.installed-test messages` and translate"
    assert problems == [f"lacks 'Previous': {hint}", f"'{{count}} apple' is no longer in the code: {hint}"]
    assert len(catalog_problems(broken, marked)) == 6


def test_a_string_marked_in_new_code_is_missing_from_the_catalog(tmp_path: Path) -> None:
    """Extraction runs on the code as it is: a newly marked string is one the catalogs lack."""
    (tmp_path / "bot").mkdir()
    (tmp_path / "adapters").mkdir()
    (tmp_path / "bot" / "new.py").write_text('from bot.i18n import _\nSAID = _("Welcome aboard")\n')
    assert extracted(tmp_path) == {("Welcome aboard", None)}
    assert any("lacks 'Welcome aboard'" in p for p in out_of_step(catalog_path("fr"), extracted(tmp_path)))


# --- The unmarked-string check finds what it should, and only that ------------------------------

REPLIES = '''\
"""A module docstring with several words."""
import logging
from bot.errors import UserError
from bot.i18n import N_, _, ngettext

log = logging.getLogger(__name__)
LABELS = {"edit profile": N_("Edit my profile")}
EXAMPLE = "/alumni find open data"


def reply(ctx, name, count):
    """A docstring is for developers."""
    log.info("sent the reply to %s", name)
    if not name:
        raise ValueError("name must not be empty here")
    if count < 0:
        raise UserError("Say how many people you mean.", EXAMPLE)
    ctx.reply(_("Saved your profile, {name}.").format(name=name))
    ctx.reply(ngettext("{n} member", "{n} members", count).format(n=count))
    ctx.reply(f"Welcome back {name}")
    return LABELS["edit profile"], "Thanks for writing"
'''


def test_unmarked_replies_are_found_with_file_line_and_literal() -> None:
    found = [str(f) for f in unmarked_in(REPLIES, "bot/features/example.py")]
    assert found == [
        "bot/features/example.py:17: unmarked 'Say how many people you mean.': "
        "wrap it in _(), N_() or ngettext()",
        "bot/features/example.py:20: unmarked \"f'Welcome back {name}'\": wrap it in _(), N_() or ngettext()",
        "bot/features/example.py:21: unmarked 'Thanks for writing': wrap it in _(), N_() or ngettext()",
    ]


def test_an_unmarked_string_in_a_real_module_fails_the_check(tmp_path: Path) -> None:
    copy = tmp_path / "bot" / "features" / "directory.py"
    copy.parent.mkdir(parents=True)
    source = (ROOT / "bot/features/directory.py").read_text(encoding="utf-8")
    copy.write_text(source.replace('_("Tell me what to look for.")', '"Tell me what to look for."'))
    assert [f.literal for f in unmarked(tmp_path, [copy])] == ["Tell me what to look for."]
