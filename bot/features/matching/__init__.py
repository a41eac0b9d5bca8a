"""Matching: `/alumni match` and its timers (handlers); who is available, the groups and the
messages a round sends (rounds). The pure matcher is bot.features.matching.matcher."""
