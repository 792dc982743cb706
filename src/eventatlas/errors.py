"""The exception hierarchy of eventatlas.

Every message says what was expected, what came, and what to do.
"""

from __future__ import annotations


class EventAtlasError(Exception):
    """Base class of every error eventatlas raises on purpose."""


class UsageError(EventAtlasError):
    """The command line or settings asked for something that cannot be done (exit status 2)."""


class SettingsError(UsageError):
    """A settings file, environment variable or flag holds a value of the wrong kind."""


class InputError(EventAtlasError):
    """One input cannot become an article; the rest of the batch goes on.

    ``source`` names the input; the message gives the reason.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(EventAtlasError):
    """The store cannot be opened, migrated or written."""


class DataFileError(EventAtlasError):
    """A packaged or user data file (outlet registry, model) is missing or malformed."""
