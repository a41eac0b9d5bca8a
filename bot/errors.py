"""Errors a member caused and should hear about, privately, with an example that works."""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n import N_, _


class UserError(Exception):
    """Bad input: `problem` says what was wrong, `example` shows what works."""

    def __init__(self, problem: str, example: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.example = example

    def text(self) -> str:
        if not self.example:
            return self.problem
        return _("{problem}\nTry: {example}").format(problem=self.problem, example=self.example)


STALE_BUTTON = N_("That button no longer works (it may belong to an older version of this message).")


def stale_button() -> UserError:
    """A press whose id is not one of ours, or does not fit what it names: told to the presser."""
    return UserError(_(STALE_BUTTON), "/alumni help")


class FormInvalid(Exception):
    """Field errors for a submitted form, keyed by input name."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)
