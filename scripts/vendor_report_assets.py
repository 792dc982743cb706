"""Refresh the report's map assets in ``src/eventatlas/out/vendor`` from the npm registry.

The report inlines exactly six files from four npm packages; they are committed (with each
package's licence and ``PROVENANCE.csv``: package, version, source path in the package, file,
sha256) so that ``pip install .`` or a wheel gives a working report without npm. This script is
the only place npm is used: ``make assets`` runs it to take the files again at the pinned
versions (``npm pack`` downloads each tarball and checks it against the registry's integrity
hash), copy them in and rewrite the provenance. ``--check`` compares what npm gives with what
is committed and changes nothing (exit 1 on a difference).

    python scripts/vendor_report_assets.py [--check]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "src" / "eventatlas" / "out" / "vendor"

# package, version, and the files the report reads (path inside the npm package), licence last
PACKAGES: list[tuple[str, str, list[str]]] = [
    ("leaflet", "1.9.4", ["dist/leaflet.js", "dist/leaflet.css", "LICENSE"]),
    (
        "leaflet.markercluster",
        "1.5.3",
        ["dist/leaflet.markercluster.js", "dist/MarkerCluster.Default.css", "MIT-LICENCE.txt"],
    ),
    ("topojson-client", "3.1.0", ["dist/topojson-client.min.js", "LICENSE"]),
    ("world-atlas", "2.0.2", ["countries-50m.json", "LICENSE"]),
]
FIELDS = ["package", "version", "source", "file", "sha256"]


def fetch(package: str, version: str, into: Path) -> tarfile.TarFile:
    if shutil.which("npm") is None:
        sys.exit("vendor_report_assets: npm not found on PATH; install Node.js and npm first")
    out = subprocess.run(
        ["npm", "pack", f"{package}@{version}", "--silent", "--pack-destination", str(into)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    return tarfile.open(into / out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only, change nothing")
    check = parser.parse_args().check
    rows: list[dict[str, str]] = []
    differ: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for package, version, sources in PACKAGES:
            with fetch(package, version, Path(tmp)) as tar:
                for source in sources:
                    member = tar.extractfile(f"package/{source}")
                    if member is None:
                        sys.exit(f"vendor_report_assets: {package}@{version} has no {source}")
                    data = member.read()
                    file = f"{package}/{Path(source).name}"
                    rows.append(
                        {
                            "package": package,
                            "version": version,
                            "source": source,
                            "file": file,
                            "sha256": hashlib.sha256(data).hexdigest(),
                        }
                    )
                    target = VENDOR / file
                    if not target.is_file() or target.read_bytes() != data:
                        differ.append(file)
                        if not check:
                            target.parent.mkdir(parents=True, exist_ok=True)
                            target.write_bytes(data)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    provenance = VENDOR / "PROVENANCE.csv"
    if not provenance.is_file() or provenance.read_text("utf-8") != buf.getvalue():
        differ.append(provenance.name)
        if not check:
            provenance.write_text(buf.getvalue(), "utf-8")
    verb = "differ from npm" if check else "refreshed from npm"
    print(f"{', '.join(differ)} {verb}" if differ else "vendored assets match npm")
    return 1 if check and differ else 0


if __name__ == "__main__":
    sys.exit(main())
