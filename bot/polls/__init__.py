"""Polls and roundtables: pure helpers (arguments, bars, fairness, calendar files, ballots)
and the service that votes, refreshes and closes, used by bot.features.polls and
bot.features.roundtables."""
