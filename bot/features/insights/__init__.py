"""Facilitator insights: figures (storage.insights), charts, and the command that shows them."""

from bot.features.insights.commands import feature

__all__ = ["feature"]
