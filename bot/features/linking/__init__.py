"""One network across platforms: where each member can be reached."""
