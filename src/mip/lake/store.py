"""Where lake objects live: a local directory or any S3 API, behind one small interface.

Paths are ``/``-separated and relative to the lake root. Objects are written whole: on S3 a PUT is atomic,
locally a temporary file is renamed into place, so a reader sees an object entirely or not at all.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa
from pyarrow import fs as pafs

from mip.lake.errors import LakeConfigError
from mip.platform.settings import Settings


@dataclass(frozen=True)
class ObjectInfo:
    path: str  # relative to the lake root
    size: int
    mtime_s: float


class LakeStore:
    def __init__(self, filesystem: pafs.FileSystem, root: str, url: str) -> None:
        self.fs = filesystem
        self.root = root.rstrip("/")
        self.url = url
        self.local = isinstance(filesystem, pafs.LocalFileSystem)

    def full(self, path: str) -> str:
        return f"{self.root}/{path.lstrip('/')}"

    def _rel(self, full: str) -> str:
        return full[len(self.root) + 1 :]

    def read_bytes(self, path: str) -> bytes | None:
        try:
            with self.fs.open_input_stream(self.full(path)) as f:
                data: bytes = f.read()
                return data
        except FileNotFoundError:
            return None
        except OSError as exc:  # S3 reports a missing key as OSError on some versions
            if "NoSuchKey" in str(exc) or "does not exist" in str(exc) or "Path does not exist" in str(exc):
                return None
            raise

    def write_bytes(self, path: str, data: bytes) -> None:
        """Write one object atomically (readers never see a partial object)."""
        full = self.full(path)
        if self.local:
            parent = full.rsplit("/", 1)[0]
            os.makedirs(parent, exist_ok=True)
            tmp = f"{parent}/.tmp-{uuid.uuid4().hex}"
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, full)
            return
        with self.fs.open_output_stream(full) as out:
            out.write(data)

    def writer_path(self, path: str) -> str:
        """A full path for pyarrow writers; local parents are created."""
        full = self.full(path)
        if self.local:
            os.makedirs(full.rsplit("/", 1)[0], exist_ok=True)
        return full

    def open_input(self, path: str) -> pa.NativeFile:
        return self.fs.open_input_file(self.full(path))

    def list(self, prefix: str) -> list[ObjectInfo]:
        """Every object under ``prefix`` (recursive); temporary files are skipped."""
        selector = pafs.FileSelector(self.full(prefix), recursive=True, allow_not_found=True)
        out = []
        for info in self.fs.get_file_info(selector):
            if info.type != pafs.FileType.File or info.base_name.startswith(".tmp-"):
                continue
            mtime = info.mtime.timestamp() if info.mtime is not None else 0.0
            out.append(ObjectInfo(self._rel(info.path), info.size or 0, mtime))
        return out

    def exists(self, path: str) -> bool:
        return bool(self.fs.get_file_info(self.full(path)).type == pafs.FileType.File)

    def delete(self, path: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.fs.delete_file(self.full(path))


def store_from_settings(settings: Settings) -> LakeStore:
    url = settings.lake_url or (settings.data_dir / "lake").resolve().as_uri()
    parts = urlsplit(url)
    if parts.scheme == "file":
        local = Path(parts.path)
        local.mkdir(parents=True, exist_ok=True)
        return LakeStore(pafs.LocalFileSystem(), str(local), url)
    if parts.scheme == "s3":
        if not parts.netloc:
            raise LakeConfigError(f"MIP_LAKE_URL {url!r} names no bucket (s3://bucket/prefix)")
        endpoint = settings.lake_s3_endpoint
        kwargs: dict[str, object] = {"region": settings.lake_s3_region}
        if endpoint:
            ep = urlsplit(endpoint)
            kwargs["endpoint_override"] = ep.netloc or ep.path
            kwargs["scheme"] = ep.scheme or "https"
        access = settings.lake_s3_access_key.get_secret_value()
        if access:
            kwargs["access_key"] = access
            kwargs["secret_key"] = settings.lake_s3_secret_key.get_secret_value()
        s3 = pafs.S3FileSystem(**kwargs)
        root = f"{parts.netloc}/{parts.path.strip('/')}".rstrip("/")
        return LakeStore(s3, root, url)
    raise LakeConfigError(f"MIP_LAKE_URL {url!r}: use file:///path or s3://bucket/prefix")
