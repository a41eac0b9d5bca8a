"""Facilitator insights: figures (storage.insights), charts, the command that shows them, and
the check-in after a roundtable that counts who came."""

from bot.features.insights import attendance
from bot.features.insights.commands import feature

__all__ = ["attendance", "feature"]
