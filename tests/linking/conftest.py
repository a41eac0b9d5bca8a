"""The fake Slack and the fake Discord of the test's own event loop, as the tests of several
adapters in one process start them."""

from tests.test_several_adapters import discord, slack

__all__ = ["discord", "slack"]
