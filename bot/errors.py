"""Errors a member caused and should hear about, privately, with an example that works."""

from __future__ import annotations

from collections.abc import Mapping


class UserError(Exception):
    """Bad input: `problem` says what was wrong, `example` shows what works."""

    def __init__(self, problem: str, example: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.example = example

    def text(self) -> str:
        return f"{self.problem}\nTry: {self.example}" if self.example else self.problem


STALE_BUTTON = "That button no longer works (it may belong to an older version of this message)."


def stale_button() -> UserError:
    """A press whose id is not one of ours, or does not fit what it names: told to the presser."""
    return UserError(STALE_BUTTON, "/alumni help")


class FormInvalid(Exception):
    """Field errors for a submitted form, keyed by input name."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)
