"""Paths the user names (files, folders, globs) to the files to read, and the names records carry.

Folders are read recursively in sorted order, hidden entries skipped. Symbolic links are followed,
a folder reached twice is read once, and a link that cannot lead anywhere (a loop back to a folder
being read, a link to itself, a link to nothing) comes out as a :class:`Rejection` naming it, so a
walk or a ``**`` glob always ends and never hides what it skipped.
"""

from __future__ import annotations

import errno
import fnmatch
import glob
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from eventatlas.records import Rejection

log = logging.getLogger(__name__)

_GLOB_MAGIC = frozenset("*?[")


def source_name(path: str | os.PathLike[str]) -> str:
    """``path`` as the name a record carries: bytes of the file name that are not UTF-8 (a POSIX
    file name may hold any) are written ``\\xNN``, so the name can be stored and printed."""
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # a lone surrogate that no file name decodes to
        return os.fspath(path).encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def expand(spec: str) -> Iterator[Path | Rejection]:
    """The files ``spec`` names (a file, a folder, a glob pattern), or why each cannot be read."""
    path = Path(os.path.expanduser(spec))
    if path.is_dir():
        yield from _walk_nonempty(path)
    elif path.exists():
        yield path
    elif path.is_symlink():
        yield Rejection(source_name(spec), link_problem(path))
    elif _GLOB_MAGIC & set(spec):
        yield from _glob(spec)
    else:
        yield Rejection(source_name(spec), "no such file or directory")


def link_problem(path: Path) -> str:
    """Why the symbolic link ``path`` leads to nothing that can be read."""
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return (
                f"symbolic link loop (it points to {source_name(target)}, which leads back to "
                "itself); fix or remove the link"
            )
        if exc.errno == errno.ENOENT:
            return (
                f"broken symbolic link (it points to {source_name(target)}, which does not "
                "exist); fix or remove the link"
            )
        return f"symbolic link cannot be followed ({exc.strerror}); fix or remove the link"
    return "symbolic link to something that is neither a file nor a folder"


# --- folders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unread:
    """An entry a walk could not read: a link leading nowhere, or back to a folder being read."""

    path: Path
    reason: str
    always: bool = False  # a problem of the walk itself (a loop, an unreadable folder)

    def rejection(self) -> Rejection:
        return Rejection(source_name(self.path), self.reason)


@dataclass
class _Visits:
    """Folders met in one walk: by (device, inode), the path each was first read at."""

    read: dict[tuple[int, int], Path] = field(default_factory=dict)


def _walk_nonempty(folder: Path) -> Iterator[Path | Rejection]:
    count = 0
    for found in walk(folder):
        count += 1
        yield found
    if count == 0:
        yield Rejection(source_name(folder), "folder holds no files (hidden files are skipped)")


def walk(folder: Path) -> Iterator[Path | Rejection]:
    """Files under ``folder`` in sorted order, depth first, skipping hidden names."""
    for found in _tree(folder, _Visits(), ()):
        yield found.rejection() if isinstance(found, _Unread) else found


def _tree(
    folder: Path,
    visits: _Visits,
    ancestors: tuple[tuple[int, int], ...],
    *,
    folders: bool = False,
) -> Iterator[Path | _Unread]:
    """Files under ``folder`` (with ``folders``, each folder too, before what it holds) unless
    ``visits`` holds it already; ``ancestors``: the folders a link back to is a loop."""
    try:
        key = _key(folder.stat())
    except OSError as exc:
        yield _Unread(folder, f"folder cannot be read ({exc.strerror})", always=True)
        return
    if key in visits.read and key not in ancestors:
        log.debug("%s: skipping: the same folder as %s", folder, visits.read[key])
        return
    visits.read.setdefault(key, folder)
    yield from _subtree(folder, (*ancestors, key), visits, folders)


def _subtree(
    folder: Path, ancestors: tuple[tuple[int, int], ...], visits: _Visits, folders: bool
) -> Iterator[Path | _Unread]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield _Unread(folder, f"folder cannot be read ({exc.strerror})", always=True)
        return
    if folders:
        yield folder
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        try:
            is_dir, is_file = entry.is_dir(), entry.is_file()
            key = _key(entry.stat()) if is_dir else None
        except OSError:  # a link looping onto itself
            is_dir = is_file = False
            key = None
        if key in ancestors:
            yield _Unread(path, _loop(visits.read[key]), always=True)
        elif key in visits.read:
            log.debug("%s: skipping: the same folder as %s", path, visits.read[key])
        elif key is not None:
            visits.read[key] = path
            yield from _subtree(path, (*ancestors, key), visits, folders)
        elif is_file:
            yield path
        elif entry.is_symlink():
            yield _Unread(path, link_problem(path))
        else:
            log.debug("%s: skipping: not a regular file or folder", path)


def _key(info: os.stat_result) -> tuple[int, int]:
    return (info.st_dev, info.st_ino)


def _loop(ancestor: Path) -> str:
    return (
        f"symbolic link loop: it leads back to {source_name(ancestor)}, which is being read "
        "already; skipped (remove the link, or name the folder it points to)"
    )


# --- globs --------------------------------------------------------------------------------


def _glob(spec: str) -> Iterator[Path | Rejection]:
    """Matches of a glob pattern, sorted, folders among them walked. The folder the pattern
    starts from counts as being read, so a link back to it is a loop; ``**`` recurses through
    the same walk as a folder (hidden names skipped, links followed, loops named)."""
    pattern = os.path.expanduser(spec)
    parts = Path(pattern).parts
    fixed = 0
    while fixed < len(parts) and not _GLOB_MAGIC & set(parts[fixed]):
        fixed += 1
    base = Path(*parts[:fixed]) if fixed else Path()
    visits = _Visits()
    try:
        roots: tuple[tuple[int, int], ...] = (_key(base.stat()),)
        visits.read[roots[0]] = base
    except OSError:
        roots = ()
    if "**" in parts[fixed:]:
        found = _recursive(base, parts[fixed:], visits, roots)
    else:
        found = _plain(pattern, visits, roots)
    count = 0
    for item in found:
        count += not isinstance(item, Rejection)
        yield item
    if count == 0:
        yield Rejection(source_name(spec), "no files match this pattern")


def _plain(
    pattern: str, visits: _Visits, roots: tuple[tuple[int, int], ...]
) -> Iterator[Path | Rejection]:
    for match in sorted(glob.glob(pattern)):
        path = Path(match)
        if not path.is_dir():
            yield path
            continue
        for found in _tree(path, visits, roots):
            yield found.rejection() if isinstance(found, _Unread) else found


def _recursive(
    base: Path, rest: tuple[str, ...], visits: _Visits, roots: tuple[tuple[int, int], ...]
) -> Iterator[Path | Rejection]:
    """One walk from ``base``: what cannot be read (loops always, other links when they match),
    then, sorted, the files that match and those in folders that match."""
    if not base.is_dir():
        return
    files: list[Path] = []
    folders: list[Path] = []
    for found in _tree(base, visits, roots, folders=True):
        path = found.path if isinstance(found, _Unread) else found
        matched = _matches(path.relative_to(base).parts, rest)
        if isinstance(found, _Unread):
            if found.always or matched:
                yield found.rejection()
        elif found.is_dir():
            if matched:
                folders.append(found)
        elif matched or any(found.is_relative_to(folder) for folder in folders):
            files.append(found)
    yield from sorted(files, key=str)


def _matches(names: tuple[str, ...], patterns: tuple[str, ...]) -> bool:
    """Whether path components ``names`` match glob components ``patterns`` (``**``: any depth)."""
    if not patterns:
        return not names
    if patterns[0] == "**":
        return any(_matches(names[i:], patterns[1:]) for i in range(len(names) + 1))
    if not names or not fnmatch.fnmatchcase(names[0], patterns[0]):
        return False
    return _matches(names[1:], patterns[1:])
