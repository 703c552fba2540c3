"""Generic scenario steps (filled below)."""
