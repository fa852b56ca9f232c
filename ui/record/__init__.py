"""The selected pupil's record: one tab a module."""
