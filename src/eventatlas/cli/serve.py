"""`eventatlas serve [--host 127.0.0.1] [--port 8000]`: the web app and its JSON API."""

from __future__ import annotations

import argparse
from pathlib import Path

from eventatlas.cli.common import EXIT_OK, add_common, settings_from
from eventatlas.errors import UsageError


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    helptext = "the web app and its JSON API (OpenAPI at /docs), live over the store"
    p = sub.add_parser("serve", help=helptext, description=helptext)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    add_common(p)
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from eventatlas.out.report import check_assets
    from eventatlas.out.web import create_app
    from eventatlas.pipeline import cited_sources, outlet_types, stored_events
    from eventatlas.store.sql import open_store

    settings = settings_from(args)
    if args.db is None and not Path(settings.db).exists():
        raise UsageError(f"no database at {settings.db}; run `eventatlas run PATH` or pass --db")
    if not 0 < args.port < 65536:
        raise UsageError(f"--port: expected 1-65535, got {args.port}")
    check_assets()  # the page at / inlines them: fail at start, not on the first request
    store = open_store(settings.db)
    cited = cited_sources(settings)
    app = create_app(store, lambda: stored_events(store, cited), outlet_types(settings))
    level = "warning" if settings.quiet else "info"
    uvicorn.run(app, host=args.host, port=args.port, log_level=level)
    return EXIT_OK
