"""The exception hierarchy of eventatlas.

Every message says what was expected, what came, and what to do.
"""

from __future__ import annotations


class EventAtlasError(Exception):
    """Base class of every error eventatlas raises on purpose."""


class UsageError(EventAtlasError):
    """The command line or settings asked for something that cannot be done (exit status 2)."""


class MissingDependencyError(UsageError):
    """An optional part was asked for (a setting, an encoder) whose package is not installed.

    ``package`` names the missing import; ``install`` says what to install.
    """

    def __init__(self, problem: str, *, package: str, install: str) -> None:
        super().__init__(f"{problem}; {install}")
        self.package = package
        self.install = install


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
    """A packaged or user data file (outlet registry, model) is missing or malformed.

    Given ``file`` (and ``line``, 1-based in the file as an editor counts), the message starts
    with ``"FILE, line N: "``; ``problem`` says what is wrong, or ``expected`` and ``got`` do
    (``"expected X, got Y"``); ``fix`` says what to do. A bare message is kept as it is.
    """

    def __init__(
        self,
        problem: str = "",
        *,
        file: str | None = None,
        line: int | None = None,
        expected: str | None = None,
        got: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.expected = expected
        self.got = got
        self.fix = fix
        super().__init__(_data_file_message(problem, file, line, expected, got, fix))


def _data_file_message(
    problem: str,
    file: str | None,
    line: int | None,
    expected: str | None,
    got: str | None,
    fix: str | None,
) -> str:
    what = [problem] if problem else []
    if expected is not None:
        what.append(f"expected {expected}")
    if got is not None:
        what.append(f"got {got}")
    text = ", ".join(what)
    if fix:
        text = f"{text}; {fix}"
    if file is None:
        return text
    where = file if line is None else f"{file}, line {line}"
    return f"{where}: {text}"


class OutputError(EventAtlasError):
    """An output file (report, export) cannot be written; the message says what is kept."""
