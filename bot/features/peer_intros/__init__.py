"""Peer introductions: `/alumni introduce <topic or @member>`, asked and answered with double
opt-in (handlers)."""
