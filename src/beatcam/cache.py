"""A content-addressed cache of derived bytes, so a run after an edit redoes only what changed.

A key is the SHA-256 of everything a result depends on (``key``), the beatcam version and the
digest of beatcam's own files always among them, so that an edited rule, lexicon or renderer
never meets results of the code before it (a developer's version number does not change).
A value is one file, ``<root>/<namespace>/<key>``, under ``$XDG_CACHE_HOME/beatcam`` or,
without it, ``~/.cache/beatcam`` (the XDG Base Directory specification, which also says a
relative ``XDG_CACHE_HOME`` is to be ignored). A namespace is one folder, not one a prefix of
the keys: a filesystem's indexed folders find a name among many as quickly, and a first run
no longer makes a folder for most of its entries (a 2,000-beat plan's ~6,700 entries had made
~770 folders, a 10-beat plan's ~50 entries ~55).

An entry is ``MAGIC``, its payload and the SHA-256 of the payload (written after it, so a
payload is streamed to the disk as it is made), and a read checks both, so a truncated or
corrupt file (a crash, a full disk, a rename that outran the data) is a miss.
Entries are written to a temporary file beside the entry and renamed into place
(``beatcam.files``), so concurrent runs never read half an entry; two writers of one key write
the same bytes and the last rename wins. The cache never fails a run: an unwritable or missing
home makes it a silent no-op, and ``BEATCAM_CACHE=0`` turns it off.
"""

from __future__ import annotations

import copyreg
import dataclasses
import functools
import hashlib
import json
import os
import pickle
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any, Final

import numpy as np

from beatcam import __version__
from beatcam.files import atomic_file

SWITCH_ENV: Final = "BEATCAM_CACHE"
XDG_ENV: Final = "XDG_CACHE_HOME"
FOLDER: Final = "beatcam"
BYTECODE_FOLDER: Final = "__pycache__"  # compiled modules: derived from the code, not hashed
MAGIC: Final = b"beatcam-cache 2\n"
DIGEST_NAMESPACE: Final = "code-digest"  # code_digest by the package files' signature
DIGEST_BYTES: Final = hashlib.sha256().digest_size
_NAMESPACE = re.compile(r"[a-z0-9][a-z0-9_-]*")
_KEY = re.compile(r"[0-9a-f]{64}")
# A distribution's metadata on sys.path, as importlib.metadata finds it: a <name>-*.dist-info or
# <name>-*.egg-info folder, and in it the first of these files ("": an egg-info that is a file).
METADATA_SUFFIXES: Final = (".dist-info", ".egg-info")
METADATA_FILES: Final = ("METADATA", "PKG-INFO", "")
_NAME_SEPARATORS = re.compile(r"[-_.]+")
# An array this large or larger is pickled as one row and a count when all its rows are one
# row (``_array_reduction``); a smaller one (a shot's camera) costs more to check than it saves.
ROWS_CHECKED_FROM: Final = 1 << 16


def root() -> Path | None:
    """The cache folder, or None when ``BEATCAM_CACHE=0`` or there is no home to put it in."""
    if os.environ.get(SWITCH_ENV, "").strip() == "0":
        return None
    base = os.environ.get(XDG_ENV, "")
    if base and Path(base).is_absolute():
        return Path(base) / FOLDER
    try:
        return Path.home() / ".cache" / FOLDER
    except RuntimeError:  # no HOME and no password entry to find one
        return None


def key(*parts: bytes | str) -> str:
    """The hex SHA-256 of the beatcam version, its code and ``parts``, each length-prefixed so
    that no two different lists of parts give the same bytes."""
    digest = hashlib.sha256()
    for part in (__version__, code_digest(), *parts):
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


@functools.cache
def code_digest() -> str:
    """The SHA-256 of every file of the installed beatcam package (code and data), by path."""
    return package_digest(Path(__file__).resolve().parent)


def package_digest(package: Path) -> str:
    """The SHA-256 of every file below ``package`` but bytecode, by path (``_content_digest``),
    kept in the cache under the files' signature (``_signature``): a run that finds it there
    reads the metadata of beatcam's ~175 files instead of their 6.4 MB, ~0.001 s of a cold
    plan's CPU instead of ~0.007 (issue 19)."""
    files = _package_files(package)
    signed = _signature(package, files)
    stored = get(DIGEST_NAMESPACE, signed)
    if stored is not None and _KEY.fullmatch(stored.decode("ascii", "replace")):
        return stored.decode("ascii")
    digest = _content_digest(package, files)
    put(DIGEST_NAMESPACE, signed, digest.encode("ascii"))
    return digest


def _package_files(package: Path) -> list[tuple[str, ...]]:
    """Every file below ``package`` but bytecode, as path parts, in path order.

    Walked with ``os.walk``, which passes over the ``__pycache__`` folders rather than
    listing, testing and dropping their ~180 files."""
    files = []
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = [name for name in subfolders if name != BYTECODE_FOLDER]
        parts = Path(folder).relative_to(package).parts
        files += [(*parts, name) for name in names]
    return sorted(files)  # by path part, as the paths themselves sort


def _content_digest(package: Path, files: Iterable[tuple[str, ...]]) -> str:
    """The SHA-256 of the files' paths and the SHA-256 of each one's bytes.

    Each file is hashed through one reused buffer (``hashlib.file_digest``) rather than read
    whole into fresh memory: 0.0070 -> 0.0062 s of CPU for beatcam's 6.4 MB."""
    digest = hashlib.sha256()
    for parts in files:
        digest.update("/".join(parts).encode() + b"\0")
        with package.joinpath(*parts).open("rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


def _signature(package: Path, files: Iterable[tuple[str, ...]]) -> str:
    """The hex SHA-256 of the beatcam version and each file's path, size, inode and times of
    change. Any write, rename or copy over a file sets its change time (``st_ctime_ns``, which
    no program can set) to the filesystem's clock, so a file's bytes change under a stored
    signature only if rewritten in place, to the same size, within one tick of that clock of
    its write before. Python itself trusts a source's size and modification time to reuse
    its bytecode."""
    digest = hashlib.sha256(__version__.encode() + b"\0")
    for parts in files:
        info = package.joinpath(*parts).stat()
        stamp = (info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)
        digest.update("/".join(parts).encode() + b"\0" + repr(stamp).encode() + b"\0")
    return digest.hexdigest()


def entry_path(namespace: str, entry_key: str) -> Path | None:
    """Where an entry lives, or None when the cache is off; a ValueError for a namespace that
    is not a lower-case name or a key that is not a hex SHA-256 (both become file names)."""
    if not _NAMESPACE.fullmatch(namespace):
        raise ValueError(f"cache namespace {namespace!r} must match {_NAMESPACE.pattern}")
    if not _KEY.fullmatch(entry_key):
        raise ValueError(f"cache key {entry_key!r} must be a hex SHA-256; make it with key()")
    base = root()
    return None if base is None else base / namespace / entry_key


def get(namespace: str, entry_key: str) -> bytes | None:
    """The payload stored under the key, or None for a miss, a damaged entry or no cache."""
    path = entry_path(namespace, entry_key)
    if path is None:
        return None
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    if len(blob) < len(MAGIC) + DIGEST_BYTES or not blob.startswith(MAGIC):
        return None
    payload = blob[len(MAGIC) : -DIGEST_BYTES]
    if blob[-DIGEST_BYTES:] != _digest(payload):
        return None
    return payload


def put(namespace: str, entry_key: str, data: bytes) -> bool:
    """Store ``data`` under the key; True if it was stored, False where the cache is off or
    its folder cannot be written."""
    return _store(namespace, entry_key, lambda payload: payload.write(data))


class _Payload:
    """An entry's file as its payload is written into it, hashed on the way."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def write(self, data: bytes | memoryview) -> int:
        self.digest.update(data)
        return self.handle.write(data)


def _store(namespace: str, entry_key: str, write: Callable[[_Payload], object]) -> bool:
    """Write an entry whose payload ``write`` writes: straight into the entry's temporary file,
    then its digest, so that a payload of hundreds of megabytes (a long plan, its files) is
    never copied whole in memory on its way to the disk."""
    path = entry_path(namespace, entry_key)
    if path is None:
        return False
    try:
        with atomic_file(path) as handle:
            handle.write(MAGIC)
            payload = _Payload(handle)
            write(payload)
            handle.write(payload.digest.digest())
    except OSError:
        return False
    return True


def get_object(namespace: str, entry_key: str) -> object | None:
    """The Python value ``put_object`` stored, or None for a miss or a value this code cannot
    read (one of other code). Values are pickled: the cache is the user's own folder, and the
    entry's digest has been checked before it is read."""
    blob = get(namespace, entry_key)
    if blob is None:
        return None
    try:
        value: object = pickle.loads(blob)
    except Exception:  # whatever other code stored is a miss: the cache never fails a run
        return None
    return value


def put_object(namespace: str, entry_key: str, value: object) -> bool:
    """Store a Python value (pickled) under the key, as ``put``."""

    def write(payload: _Payload) -> None:
        pickler = pickle.Pickler(payload, pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = {**copyreg.dispatch_table, np.ndarray: _array_reduction}
        pickler.dump(value)

    return _store(namespace, entry_key, write)


def _array_reduction(array: np.ndarray) -> Any:
    """How an array is pickled: one whose rows are all one row as that row and their count
    (a chair stands still for a whole scene: 37 of them are 296 of the 384 MB of a 2,000-beat
    plan), coming back as the same bytes, a fresh writeable array as any unpickled one; any
    other array as numpy pickles it."""
    if array.nbytes >= ROWS_CHECKED_FROM and array.ndim and not array.dtype.hasobject:
        rows = np.ascontiguousarray(array).view(np.uint8).reshape(len(array), -1)
        if bool((rows == rows[0]).all()):  # by bytes: -0.0 stays apart from 0.0
            return _repeated_row, (np.array(array[0]), len(array))
    return array.__reduce_ex__(pickle.HIGHEST_PROTOCOL)


def _repeated_row(row: np.ndarray, count: int) -> np.ndarray:
    """``count`` copies of ``row`` stacked (what ``_array_reduction`` stored)."""
    return np.repeat(row[None], count, axis=0)


def cached(namespace: str, key_parts: Iterable[bytes | str], compute: Callable[[], bytes]) -> bytes:
    """The stored result for ``key_parts``, or ``compute()``'s, stored for the next run."""
    entry_key = key(*key_parts)
    hit = get(namespace, entry_key)
    if hit is not None:
        return hit
    data = compute()
    put(namespace, entry_key, data)
    return data


def canonical(value: Any) -> str:
    """One JSON text per content, for a key part: dataclasses by field, mappings by sorted key,
    arrays by dtype, shape and the digest of their bytes, floats exactly (JSON writes
    ``repr``). A value of any other kind is a TypeError, never a silent hole in a key."""
    return json.dumps(_plain(value), sort_keys=True, separators=(",", ":"))


@functools.cache
def libraries(*names: str) -> str:
    """The installed versions of the named distributions, for the key of a result they make."""
    versions = {name: installed_version(name) for name in names}
    return ",".join(
        f"{name} missing" if version is None else f"{name}=={version}"
        for name, version in versions.items()
    )


def installed_version(name: str) -> str | None:
    """The version of an installed distribution, as ``importlib.metadata.version`` gives it
    (the ``Version`` field of the first of its metadata folders on ``sys.path``), or None.

    Read here rather than through ``importlib.metadata``: importing that (it parses metadata
    as e-mail) was ~0.011 s of every cold plan, whose cache keys and provenance name the
    versions of five distributions.
    """
    folder = _metadata_folders().get(_normalized(name))
    if folder is None:
        return None
    for file in METADATA_FILES:
        try:
            return _version_field((folder / file).read_text(encoding="utf-8"))
        except OSError:
            continue
    return None


def _version_field(metadata: str) -> str | None:
    """The ``Version`` field of core metadata's header (e-mail style, as e-mail reads it)."""
    for line in metadata.splitlines():
        if not line:
            break  # the end of the header; the description follows
        field, colon, value = line.partition(":")
        if colon and field.lower() == "version":
            return value.lstrip(" \t")
    return None


@functools.cache
def _metadata_folders() -> dict[str, Path]:
    """The first metadata folder of each distribution on ``sys.path``, by normalised name."""
    folders: dict[str, Path] = {}
    for entry in sys.path:
        try:
            children = list(Path(entry or ".").iterdir())
        except OSError:  # not a folder (a zip, a missing entry)
            continue
        for child in children:
            if child.suffix.lower() in METADATA_SUFFIXES:
                folders.setdefault(_normalized(child.stem.partition("-")[0]), child)
    return folders


def _normalized(name: str) -> str:
    """A distribution's name as its metadata folder is matched: any run of - _ . as one _,
    lower case (importlib.metadata's rule)."""
    return _NAME_SEPARATORS.sub("_", name).lower()


def _plain(value: Any) -> Any:
    # Words and numbers first: most of a key's leaves are (a shot's track key has hundreds),
    # then plain tuples and lists (none is a dataclass), and a dataclass's field names are
    # listed once for its class: the 128 parts of a 10-beat plan's keys took 0.0071 s of CPU
    # here, 0.0057 this way (issue 19).
    if value is None or isinstance(value, str | int | float):
        return value
    kind: type = type(value)
    if kind is tuple or kind is list:
        return [_plain(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _field_names(kind)}
    if isinstance(value, np.ndarray):
        data = np.ascontiguousarray(value)
        if data.dtype == object:
            return [_plain(item) for item in data.tolist()]
        return [str(data.dtype), list(data.shape), hashlib.sha256(data.tobytes()).hexdigest()]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} has no canonical form for a cache key")


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(item.name for item in dataclasses.fields(kind))


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()
