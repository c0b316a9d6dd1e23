"""``python -m server backup --out DIR`` and ``python -m server restore FOLDER``.

A backup is one new folder ``DIR/tapis-backup-<UTC time>/`` holding:

- ``database.sqlite3`` (SQLite, written with SQLite's online backup API) or
  ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom``: one
  consistent snapshot while the server keeps serving);
- ``blobs/`` the photo store's verified files (``<sha[:2]>/<sha>``);
- ``manifest.json``: when, from which schema revision, the row counts, and
  every photo file with its size and SHA-256.

Consistent with each other: the list of complete uploads is read *before*
the dump and the files are copied *after* it. A photo's bytes are on disk
before its upload row says complete (server/attachments.py), so every photo
the dump calls complete is copied; a photo that arrives meanwhile may be
copied without its row, which is harmless (the laptop that sent it is told
to send it again by the restored server). The backup checks every copied
file against its hash; a missing or damaged one fails the backup (exit 1).

Restore loads a backup into an EMPTY database and photo store (it refuses
to overwrite anything), checks each photo against the manifest, upgrades the
schema if the backup is older than this version, and records the restore in
the audit log. A SQLite backup restores into SQLite, a PostgreSQL backup into
PostgreSQL (``pg_restore``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import create_engine, func, inspect, make_url, select, text

from desktop_app.models.errors import TapisError
from desktop_app.models.types import format_utc

from .db import Database, default_blob_dir, upgrade
from .tables import Upload

MANIFEST = "manifest.json"
FORMAT = "tapis-server-backup-1"
COUNTED = ("officer", "device", "applied_change", "business", "cooperative", "aid_applicant",
           "umkm_survey", "cooperative_audit", "aid_verification", "attachment", "upload",
           "audit_event", "assignment")


class BackupError(TapisError):
    reason = "backup"


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    photos: int
    photo_bytes: int
    counts: dict[str, int]


def _libpq(url: str) -> str:
    """A SQLAlchemy URL as pg_dump/psql read it (no '+psycopg')."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("Basis data SQLite dalam memori tidak bisa dicadangkan.",
                          "An in-memory SQLite database cannot be backed up.")
    return Path(database)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(url: str, out: Path, blob_dir: Path | None = None) -> BackupResult:
    database = Database(url, blob_dir)
    blobs = database.blob_dir
    try:
        with database.session() as session:
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
            complete = set(session.scalars(select(Upload.sha256).where(Upload.complete.is_(True))))
    finally:
        database.dispose()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    folder = Path(out) / f"tapis-backup-{stamp}"
    if folder.exists():
        raise BackupError(f"Folder {folder} sudah ada; tunggu sedetik lalu ulangi.",
                          f"The folder {folder} exists already; wait a second and retry.")
    folder.mkdir(parents=True)
    os.chmod(folder, 0o700)  # account hashes, names and NIKs: the operator's eyes only
    try:
        if url.startswith("sqlite"):
            kind, dump = "sqlite", folder / "database.sqlite3"
            source = sqlite3.connect(_sqlite_path(url))
            target = sqlite3.connect(dump)
            try:
                with target:
                    source.backup(target)
            finally:
                target.close()
                source.close()
        elif url.startswith("postgresql"):
            kind, dump = "postgresql", folder / "database.pgdump"
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  "--file", str(dump), _libpq(url)], "pg_dump")
        else:
            raise BackupError("Hanya SQLite dan PostgreSQL yang bisa dicadangkan.",
                              "Only SQLite and PostgreSQL databases can be backed up.")
        photos = _copy_photos(blobs, folder / "blobs", complete)
        counts = _counts(url if kind == "postgresql" else f"sqlite:///{dump}")
        manifest = {"format": FORMAT, "created_at": format_utc(datetime.now(timezone.utc)),
                    "database": kind, "dump": dump.name, "schema_revision": revision,
                    "dump_sha256": _sha256(dump), "counts": counts, "photos": photos}
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # never leave half a backup that looks whole
        raise
    return BackupResult(folder, len(photos), sum(p["size"] for p in photos.values()), counts)


def _copy_photos(blobs: Path, target: Path, complete: set[str]) -> dict[str, dict[str, Any]]:
    target.mkdir()
    listed: dict[str, dict[str, Any]] = {}
    if blobs.is_dir():
        for path in sorted(blobs.glob("??/*")):
            if not path.is_file() or path.parent.name == "incoming":
                continue
            name = path.name
            copy = target / name[:2] / name
            copy.parent.mkdir(exist_ok=True)
            shutil.copy2(path, copy)
            digest = _sha256(copy)
            if digest != name:
                if name in complete:
                    raise BackupError(f"Foto {name[:12]}… di penyimpanan rusak (isi tidak cocok).",
                                      f"The photo {name[:12]}… in the store is damaged (its "
                                      "content does not match its name).")
                copy.unlink()
                continue
            listed[name] = {"size": copy.stat().st_size}
    missing = sorted(complete - set(listed))
    if missing:
        raise BackupError(
            f"{len(missing)} foto yang tercatat lengkap tidak ada di {blobs} (contoh "
            f"{missing[0][:12]}…). Periksa TAPIS_BLOB_DIR / --blobs.",
            f"{len(missing)} photo(s) recorded as complete are missing from {blobs} (e.g. "
            f"{missing[0][:12]}…). Check TAPIS_BLOB_DIR / --blobs.")
    return listed


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        names = set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            return {t: int(connection.execute(select(func.count()).select_from(text(f'"{t}"')))
                           .scalar() or 0) for t in COUNTED if t in names}
    finally:
        engine.dispose()


def _run(command: list[str], tool: str, stdin: Any = None) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"Program {tool} tidak ditemukan. Pasang klien PostgreSQL "
                          "(apt-get install postgresql-client) dengan versi server yang sama.",
                          f"{tool} is not installed. Install the PostgreSQL client "
                          "(apt-get install postgresql-client), the server's version.")
    result = subprocess.run(command, capture_output=True, text=True, check=False, stdin=stdin)
    if result.returncode != 0:
        first = (result.stderr.strip().splitlines() or ["?"])[0][:300]
        raise BackupError(f"{tool} gagal: {first}", f"{tool} failed: {first}")


def read_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{folder} bukan cadangan Tapis (manifest.json tidak terbaca).",
                          f"{folder} is not a Tapis backup (no readable manifest.json).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Format cadangan tidak dikenal: {manifest.get('format')}.",
                          f"Unknown backup format: {manifest.get('format')}.")
    return manifest


def restore(url: str, folder: Path, blob_dir: Path | None = None) -> dict[str, Any]:
    """Load the backup into an empty database and photo store; the manifest."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    dump = folder / manifest["dump"]
    if not dump.is_file() or _sha256(dump) != manifest["dump_sha256"]:
        raise BackupError(f"Berkas {dump.name} hilang atau rusak; cadangan ini tidak bisa dipakai.",
                          f"The file {dump.name} is missing or damaged; this backup cannot be used.")
    kind = "postgresql" if url.startswith("postgresql") else "sqlite"
    if kind != manifest["database"]:
        raise BackupError(
            f"Cadangan ini dari {manifest['database']}; pulihkan ke basis data {manifest['database']}.",
            f"This backup is of {manifest['database']}; restore it into a {manifest['database']} "
            "database.")
    blobs = Path(blob_dir) if blob_dir is not None else default_blob_dir(url)
    if blobs.exists() and any(blobs.iterdir()):
        raise BackupError(f"Penyimpanan foto {blobs} tidak kosong; pulihkan ke folder kosong.",
                          f"The photo store {blobs} is not empty; restore into an empty folder.")
    if kind == "sqlite":
        path = _sqlite_path(url)
        if path.exists() and path.stat().st_size > 0:
            raise BackupError(f"Basis data {path} sudah ada; pulihkan ke berkas baru.",
                              f"The database {path} exists already; restore into a new file.")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(dump, path)
    else:
        engine = create_engine(url)
        try:
            tables = inspect(engine).get_table_names()
        finally:
            engine.dispose()
        if tables:
            raise BackupError("Basis data tujuan tidak kosong; buat basis data baru "
                              "(createdb) lalu pulihkan ke sana.",
                              "The target database is not empty; create a new database "
                              "(createdb) and restore into it.")
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
              "--dbname", _libpq(url), str(dump)], "pg_restore")
    blobs.mkdir(parents=True, exist_ok=True)
    for name, info in manifest["photos"].items():
        source = folder / "blobs" / name[:2] / name
        if not source.is_file() or source.stat().st_size != info["size"] or _sha256(source) != name:
            raise BackupError(f"Foto {name[:12]}… dalam cadangan hilang atau rusak.",
                              f"The photo {name[:12]}… in the backup is missing or damaged.")
        (blobs / name[:2]).mkdir(exist_ok=True)
        shutil.copy2(source, blobs / name[:2] / name)
    upgrade(url)  # a backup from an older version comes up to this one's schema
    return manifest


def _record(url: str, action: str, detail: dict[str, Any], blob_dir: Path | None) -> None:
    from .audit import Action, Actor, record

    database = Database(url, blob_dir)
    try:
        with database.session() as session:
            record(session, Action(action), actor=Actor.operator(), target_type="backup",
                   detail=detail)
    finally:
        database.dispose()


def backup_command(url: str, out: Path, blob_dir: Path | None, stream: TextIO) -> int:
    result = backup(url, out, blob_dir)
    _record(url, "backup", {"folder": result.folder.name, "photos": result.photos}, blob_dir)
    print(f"backup written to {result.folder}", file=stream)
    print(f"  database: {', '.join(f'{k} {v}' for k, v in result.counts.items() if v)}",
          file=stream)
    print(f"  photos: {result.photos} ({result.photo_bytes / 1e6:.1f} MB)", file=stream)
    return 0


def restore_command(url: str, folder: Path, blob_dir: Path | None, stream: TextIO) -> int:
    manifest = restore(url, folder, blob_dir)
    _record(url, "restore", {"folder": Path(folder).name, "made": manifest["created_at"],
                             "schema_revision": manifest["schema_revision"]}, blob_dir)
    print(f"restored {Path(folder).name} (made {manifest['created_at']}) into "
          f"{url.split('@')[-1]}", file=stream)
    print(f"  photos: {len(manifest['photos'])}; schema upgraded to this version", file=stream)
    return 0
