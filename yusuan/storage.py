"""Where a run's shared files live: landing/, staging/ and the Data Docs.

By default they are folders under the home (`YUSUAN_HOME`), plain `pathlib.Path`s, as
fast as any local file. `YUSUAN_STORAGE_URL` puts them under one root that every worker
reaches: an fsspec URL (`s3://bucket/prefix`, through s3fs; any protocol fsspec knows),
addressed with universal-pathlib's `UPath`. The filesystem's options are the library's
own, read from its environment (s3fs/botocore: `AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`,
`AWS_SECRET_ACCESS_KEY`, `AWS_DEFAULT_REGION`, or a profile), never from yusuan's settings.
A URL without a scheme, or `file://`, is a local folder (a shared mount).

What reads these files needs local ones (pdfplumber, DuckDB without httpfs, pyarrow in
the gates): on a remote root each consumer works on local copies in a temporary folder
that it removes when it is done (`local_files`, `local_folders`), and what it makes is
put into the root whole, file by file (`put_folders`): an object appears whole or not at
all. So a task keeps no state on its machine and can run on any worker. The warehouse file
(DuckDB) and the Great Expectations project (gx/) stay local to the machine that writes
them; the Data Docs site built there is copied into the root (`mirror`).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from upath import UPath

# A folder or file of the storage root: a local Path, or a UPath on a remote filesystem
Location: TypeAlias = "Path | UPath"


def is_remote(location: Location | str) -> bool:
    """A location on a remote filesystem (not a local path, nor a file:// URL)."""
    if isinstance(location, Path):
        return False
    text = str(location)
    return "://" in text and not text.startswith("file://")


def location(text: str | Path) -> Location:
    """The location a path or URL names: a Path when it is local, a UPath otherwise."""
    if isinstance(text, Path):
        return text
    if not is_remote(text):
        return Path(text.removeprefix("file://"))
    from upath import UPath

    return UPath(text)


def shown(location: Location | str) -> str:
    """A location as logs and the CLI show it: a URL without its user and password."""
    from urllib.parse import urlsplit, urlunsplit

    text = str(location)
    if not is_remote(text):
        return text
    parts = urlsplit(text)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


def root(url: str | None, home: Path) -> Location:
    """The storage root: `url` (YUSUAN_STORAGE_URL) if set, else the home folder."""
    if not url:
        return home
    found = location(url)
    return found.expanduser().resolve() if isinstance(found, Path) else found


def _fs_path(location: Location) -> tuple[Any, str]:
    """(fsspec filesystem, its path) of a remote location."""
    return location.fs, location.path  # type: ignore[union-attr]


@contextmanager
def local_files(locations: Sequence[str]) -> Iterator[dict[str, Path]]:
    """Each file of `locations` as a local file: itself when local, else a copy in a
    temporary folder (fetched in one batch) that is removed when the block ends. A remote
    file that is not there is left out (its reader fails on it alone)."""
    remote = [text for text in locations if is_remote(text)]
    found = {text: Path(text) for text in locations if not is_remote(text)}
    if not remote:
        yield found
        return
    with tempfile.TemporaryDirectory(prefix="yusuan-files-") as scratch:
        fs, _ = _fs_path(location(remote[0]))
        copies = {
            text: Path(scratch) / str(n) / location(text).name for n, text in enumerate(remote)
        }
        try:
            fs.get([_fs_path(location(t))[1] for t in copies], [str(p) for p in copies.values()])
        except FileNotFoundError:  # one at a time: the others still arrive
            for text, copy in list(copies.items()):
                try:
                    fs.get_file(_fs_path(location(text))[1], str(copy))
                except FileNotFoundError:
                    del copies[text]
        yield found | copies


@contextmanager
def local_folders(locations: Sequence[str]) -> Iterator[dict[str, Path]]:
    """Each folder of `locations` as a local folder: itself when local, else a copy of
    its files in a temporary folder (fetched in one batch), removed when the block ends.
    A remote folder that holds no file is left out."""
    remote = [text for text in locations if is_remote(text)]
    found = {text: Path(text) for text in locations if not is_remote(text)}
    if not remote:
        yield found
        return
    with tempfile.TemporaryDirectory(prefix="yusuan-folders-") as scratch:
        fs, _ = _fs_path(location(remote[0]))
        sources: list[str] = []
        targets: list[str] = []
        for n, text in enumerate(remote):
            folder = _fs_path(location(text))[1].rstrip("/")
            files = fs.find(folder)
            if not files:
                continue
            found[text] = Path(scratch) / str(n)
            for name in files:
                sources.append(name)
                targets.append(str(found[text] / name[len(folder) + 1 :]))
        if sources:
            fs.get(sources, targets)
        yield found


def put_folders(folders: dict[Path, Location]) -> None:
    """Put each local folder's files into its remote folder, in one batch (the files that
    are there already are replaced)."""
    sources: list[str] = []
    targets: list[str] = []
    fs = None
    for local, remote in folders.items():
        fs, folder = _fs_path(remote)
        for path in sorted(p for p in local.rglob("*") if p.is_file()):
            sources.append(str(path))
            targets.append(f"{folder.rstrip('/')}/{path.relative_to(local).as_posix()}")
    if fs is not None and sources:
        fs.put(sources, targets)


def put_file(local: Path, remote: Location) -> None:
    """Put one local file into the remote location (one object, whole)."""
    fs, path = _fs_path(remote)
    fs.put_file(str(local), path)


def mirror(local: Path, remote: Location, since: float) -> int:
    """Put the files of `local` into `remote` that it lacks or that changed at or after
    `since` (a time.time()): a site built again in place reaches the root at the cost of
    its new pages, not of all of them. Returns the files put (hidden ones never)."""
    fs, folder = _fs_path(remote)
    folder = folder.rstrip("/")
    present = {name[len(folder) + 1 :] for name in fs.find(folder)}
    changed = {}
    for path in (p for p in local.rglob("*") if p.is_file() and not _hidden(p.name)):
        name = path.relative_to(local).as_posix()
        if name not in present or path.stat().st_mtime >= since:
            changed[path] = f"{folder}/{name}"
    if changed:
        fs.put([str(p) for p in changed], list(changed.values()))
    return len(changed)


def _hidden(name: str) -> bool:
    """A machine's own bookkeeping (GX's `.ge_store_backend_id`): never shared."""
    return name.startswith(".")


def fetch_missing(remote: Location, local: Path) -> int:
    """Get the files of `remote` that `local` lacks (the reverse of `mirror`, for files
    that never change once written). Returns the files fetched. Neither shares hidden
    files (`.name`)."""
    fs, folder = _fs_path(remote)
    folder = folder.rstrip("/")
    missing = {
        name: local / name[len(folder) + 1 :]
        for name in fs.find(folder)
        if not _hidden(name.rsplit("/", 1)[-1]) and not (local / name[len(folder) + 1 :]).exists()
    }
    if missing:
        fs.get(list(missing), [str(p) for p in missing.values()])
    return len(missing)


@contextmanager
def scratch_folder(target: Location) -> Iterator[Path]:
    """Where a step writes what goes to `target`: `target` itself when it is local, else a
    temporary local folder (removed when the block ends; the caller puts what it made)."""
    if isinstance(target, Path):
        yield target
        return
    folder = Path(tempfile.mkdtemp(prefix="yusuan-scratch-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
