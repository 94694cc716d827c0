"""planner315: readiness for the 315 consumer-rights period."""

__version__ = "0.1.0"
