"""The introduction card: `/alumni intro`, `/alumni profile`, the welcome flow and the card
posted to the introductions channel (handlers)."""
