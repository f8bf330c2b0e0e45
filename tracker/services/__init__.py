"""Use cases: what the live bot and the replay do, on top of the domain core."""
