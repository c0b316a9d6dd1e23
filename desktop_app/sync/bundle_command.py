"""``python -m desktop_app bundle ...``: sync bundles from the command line.

Only argparse at import time (``--help`` answers at once); the store,
cryptography and the network load inside the command that needs them.
Exit codes: 0 done, 1 refused or failed (the reason printed in Indonesian and
English), 2 nothing to do.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_NOTHING = 0, 1, 2


def add_parser(commands: Any) -> None:
    """The ``bundle`` command and its four subcommands."""
    parser = commands.add_parser(
        "bundle", help="carry unsent work on a USB stick or by chat (sync bundle)",
        description="Sync bundles, for places with no connection: 'export' writes this laptop's "
        "unsent changes and photos to one encrypted, signed file (they stay queued here too); "
        "'import' takes a bundle in at the office copy, which forwards it to the server at its "
        "next sync; 'upload' sends a bundle straight to the server; 'list' shows imported "
        "bundles. Exit 0 done, 1 refused or failed (reason printed), 2 nothing to export.")
    actions = parser.add_subparsers(dest="bundle_action", metavar="action", required=True)
    export = actions.add_parser("export", help="write unsent changes and photos to FILE",
                                description="Write every unsent change and photo to one bundle "
                                "file (needs one earlier online sign-in for the regency key).")
    export.add_argument("--out", type=Path, required=True, metavar="FILE",
                        help="the bundle file to write, e.g. E:/tapis-2026-11-23.tapisbundle")
    imported = actions.add_parser("import", help="check a bundle and queue it for the server",
                                  description="Verify and decrypt a bundle, keep a copy in the "
                                  "data folder, and forward it at the next sync. Importing the "
                                  "same bundle twice is one entry.")
    imported.add_argument("file", type=Path, help="the bundle file (.tapisbundle)")
    upload = actions.add_parser("upload", help="send a bundle straight to the server",
                                description="Sign in and send one bundle file to the server, "
                                "which applies each change once.")
    upload.add_argument("file", type=Path, help="the bundle file (.tapisbundle)")
    upload.add_argument("--server", required=True, help="server URL, e.g. http://127.0.0.1:8000")
    upload.add_argument("--user", required=True, help="username (of the bundle's regency)")
    upload.add_argument("--password", required=True, help="password")
    actions.add_parser("list", help="bundles imported here and whether they were forwarded",
                       description="List the bundles imported into this copy: waiting, "
                       "forwarded or refused, with the server's answer.")


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from ..models.errors import TapisError

    try:
        return _ACTIONS[args.bundle_action](args, data_dir)
    except TapisError as exc:
        print(f"{exc.message_id}\n{exc.message_en}", file=sys.stderr)
        return EXIT_NOTHING if exc.reason == "nothing_to_send" else EXIT_FAILED
    except OSError as exc:
        print(f"Berkas tidak dapat dibaca/ditulis: {exc.strerror} ({exc.filename})\n"
              f"The file cannot be read/written: {exc.strerror} ({exc.filename})", file=sys.stderr)
        return EXIT_FAILED


def _export(args: argparse.Namespace, data_dir: Path) -> int:
    from ..store import open_store
    from .bundle_export import export_bundle

    store = open_store(data_dir)
    try:
        result = export_bundle(store, args.out)
    finally:
        store.close()
    for part in result.parts:
        header = part.header
        print(f"{part.path}: {header.changes} changes (#{header.first_seq}-#{header.last_seq}), "
              f"{header.photos} photos, {part.size_bytes} B")
    if len(result.parts) > 1:
        print(f"{len(result.parts)} bundles: import them in this order / {len(result.parts)} "
              "bundel: impor sesuai urutan ini")
    if result.photos_left:
        print(f"{result.photos_left} photos did not fit; they go with the next bundle or sync / "
              f"{result.photos_left} foto tidak muat; ikut bundel atau sinkron berikutnya")
    return EXIT_OK


def _import(args: argparse.Namespace, data_dir: Path) -> int:
    from ..store import open_store
    from .relay import import_bundle

    store = open_store(data_dir)
    try:
        entry = import_bundle(store, args.file)
    finally:
        store.close()
    state = "imported, waiting for the next sync" if entry.newly_imported else \
        f"already imported ({entry.state})"
    print(f"bundle {entry.bundle_id}: {entry.changes} changes, {entry.photos} photos: {state}")
    return EXIT_OK


def _upload(args: argparse.Namespace, data_dir: Path) -> int:
    from ..store import migrate, open_store
    from .bundle_keys import remember_keys
    from .client import SyncClient
    from .device_signing import device_key

    data = args.file.read_bytes()
    store = open_store(data_dir)
    client = SyncClient(args.server, device_id=store.device_id, schema=migrate.head_revision(),
                        device_key=device_key(store))
    try:
        remember_keys(store, client.login(args.user, args.password, device_name="tapis-cli"))
        result = client.upload_bundle(data)
    finally:
        client.close()
        store.close()
    print(f"bundle {result.bundle_id}: applied {result.applied}, already there "
          f"{result.duplicates}, conflicts {result.conflicts}, rejected {len(result.rejected)}, "
          f"photos stored {result.photos_stored} (known {result.photos_known})")
    for rejected in result.rejected[:10]:
        print(f"rejected #{rejected.seq}: {rejected.message_en}")
    return EXIT_OK


def _list(_args: argparse.Namespace, data_dir: Path) -> int:
    from ..store import open_store
    from .relay import list_relayed

    store = open_store(data_dir)
    try:
        entries = list_relayed(store)
    finally:
        store.close()
    for e in entries:
        print(f"{e.bundle_id}  {e.state:9}  regency {e.regency_code or '-'}  "
              f"#{e.first_seq}-#{e.last_seq}  {e.changes} changes  {e.photos} photos  "
              f"made {e.created_at}")
        if e.message:
            print(f"    {e.message.splitlines()[0]}")
    print(f"{len(entries)} bundle(s)")
    return EXIT_OK


_ACTIONS = {"export": _export, "import": _import, "upload": _upload, "list": _list}
