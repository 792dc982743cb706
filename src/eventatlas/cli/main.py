"""The command line: parse, call the library, turn errors into messages and exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from eventatlas import __version__
from eventatlas.cli import eval as eval_cmd
from eventatlas.cli import export, extract, geo, ingest, report, serve
from eventatlas.cli.common import EXIT_USAGE, setup_logging
from eventatlas.errors import EventAtlasError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eventatlas",
        description="Turn conflict reporting into a geocoded, source-attributed event dataset.",
    )
    parser.add_argument("--version", action="version", version=f"eventatlas {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    ingest.add_parsers(sub)
    export.add_parsers(sub)
    geo.add_parsers(sub)
    extract.add_parsers(sub)
    report.add_parsers(sub)
    serve.add_parsers(sub)
    eval_cmd.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(args.verbose, bool(args.quiet))
    try:
        code: int = args.func(args)
    except EventAtlasError as exc:
        sys.stderr.write(f"eventatlas: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("eventatlas: interrupted; what was stored is kept, rerun to continue\n")
        return 130
    except BrokenPipeError:
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
