"""Polls: `/alumni poll` and its buttons (handlers), reading what was typed (parsing), voting,
refreshing and closing (service), anonymous ballots (ballots), the message and its bars
(render, bars), time slots fair across zones (fairness) and calendar files (calendar)."""
