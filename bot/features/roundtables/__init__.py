"""Roundtables: `/alumni roundtable` and `/alumni roundtables` (handlers); a roundtable made
from a closed time-slot poll, announced, answered and recalled (service)."""
