"""The report's map assets shipped in the package: exactly the npm files it inlines, unchanged
(sha256 as recorded in PROVENANCE.csv), each package's licence beside them."""

from __future__ import annotations

import csv
import hashlib

from eventatlas.out.report import _FILES, ASSETS


def test_vendored_files_match_their_provenance() -> None:
    with (ASSETS / "PROVENANCE.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    files = {r["file"] for r in rows}
    on_disk = {
        str(p.relative_to(ASSETS)) for p in ASSETS.rglob("*") if p.is_file()
    } - {"PROVENANCE.csv"}
    assert files == on_disk  # nothing unrecorded, nothing recorded and missing
    for r in rows:
        digest = hashlib.sha256((ASSETS / r["file"]).read_bytes()).hexdigest()
        assert digest == r["sha256"], r["file"]
        assert r["file"].split("/")[0] == r["package"]
    assert set(_FILES.values()) <= files  # everything the report inlines has its provenance
    for package in {r["package"] for r in rows}:
        assert any(r["package"] == package and "LICEN" in r["file"] for r in rows), package
    assert files - set(_FILES.values()) == {r["file"] for r in rows if "LICEN" in r["file"]}
