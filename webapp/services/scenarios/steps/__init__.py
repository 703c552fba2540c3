"""Every step module, imported once so that the vocabulary holds them all."""
from . import generic, entrustment, psych, revocation, resettlement, timers, units, left_behind, registry, living, roster, school_checks, intake  # noqa: F401
