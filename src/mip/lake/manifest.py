"""Day manifests: the commit log of the lake and its only visibility point.

Layout under the lake root::

    <dataset>/tenant=<uuid>/date=YYYY-MM-DD/hour=HH/<batch>-<nonce>.parquet     hour files (immutable)
    <dataset>/tenant=<uuid>/date=YYYY-MM-DD/day-<batch>-<nonce>.parquet         day files (immutable)
    <dataset>/tenant=<uuid>/_manifest/date=YYYY-MM-DD.json                     one manifest per day

A manifest lists, per hour partition, the committed hour files, the source fingerprint the partition was
built from (the watermark of that hour) and the ids of the last batches applied; and the day's **day
files**: a compacted day (mip.lake.compaction) keeps its rows in one file, listed once with the hours
whose rows it holds (``hours``). The rows of hour H are those of H's hour files plus those of the day
files that list H; a writer replacing hour H rewrites a day file holding H without H in the same commit,
so a row is never listed twice. A manifest is replaced whole by one atomic write (S3 PUT / local
rename); a data file that no manifest lists does not exist for readers and is garbage-collected after a
grace period. A dropped day keeps a tombstone manifest (``dropped``) so that it is never exported again.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

import orjson
from pyarrow import fs as pafs

from mip.lake.store import LakeStore

FORMAT = 2  # 2: day files
KEEP_BATCH_IDS = 32


def tenant_prefix(dataset: str, tenant_id: uuid.UUID) -> str:
    return f"{dataset}/tenant={tenant_id}"


def manifest_path(dataset: str, tenant_id: uuid.UUID, day: dt.date) -> str:
    return f"{tenant_prefix(dataset, tenant_id)}/_manifest/date={day.isoformat()}.json"


def day_dir(dataset: str, tenant_id: uuid.UUID, day: dt.date) -> str:
    return f"{tenant_prefix(dataset, tenant_id)}/date={day.isoformat()}"


def partition_dir(dataset: str, tenant_id: uuid.UUID, day: dt.date, hour: int) -> str:
    return f"{day_dir(dataset, tenant_id, day)}/hour={hour:02d}"


@dataclass
class FileEntry:
    path: str
    rows: int
    bytes: int
    min_ts: int
    max_ts: int
    hours: list[int] = field(default_factory=list)  # day files: the hours whose rows it holds ([] = hour file)

    def to_json(self) -> dict[str, Any]:
        out = self.__dict__.copy()
        if not self.hours:
            del out["hours"]
        return out


@dataclass
class Partition:
    files: list[FileEntry] = field(default_factory=list)
    fingerprint: str = ""
    batches: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)


@dataclass
class DayManifest:
    dataset: str
    tenant_id: uuid.UUID
    day: dt.date
    version: int = 0
    committed_at: str = ""
    dropped: bool = False
    hours: dict[int, Partition] = field(default_factory=dict)
    day_files: list[FileEntry] = field(default_factory=list)

    @property
    def files(self) -> list[FileEntry]:
        """Every committed file of the day, each once (hour files, then day files)."""
        return [f for h in sorted(self.hours) for f in self.hours[h].files] + list(self.day_files)

    def hour_files(self, hour: int) -> list[FileEntry]:
        """The files holding rows of ``hour``: its hour files and the day files listing it."""
        part = self.hours.get(hour)
        return (part.files if part else []) + [f for f in self.day_files if hour in f.hours]

    def has_batch(self, batch_id: str) -> bool:
        return any(batch_id in p.batches for p in self.hours.values())

    def to_bytes(self) -> bytes:
        body = {
            "format": FORMAT,
            "dataset": self.dataset,
            "tenant": str(self.tenant_id),
            "date": self.day.isoformat(),
            "version": self.version,
            "committed_at": self.committed_at,
            "dropped": self.dropped,
            "hours": {
                f"{h:02d}": {
                    "fingerprint": p.fingerprint,
                    "batches": p.batches[-KEEP_BATCH_IDS:],
                    "files": [f.to_json() for f in p.files],
                }
                for h, p in sorted(self.hours.items())
            },
            "day_files": [f.to_json() for f in self.day_files],
        }
        return orjson.dumps(body, option=orjson.OPT_INDENT_2)

    @classmethod
    def from_bytes(cls, data: bytes) -> DayManifest:
        body = orjson.loads(data)
        if body.get("format") != FORMAT:
            raise ValueError(f"unknown lake manifest format {body.get('format')!r}")
        return cls(
            dataset=body["dataset"],
            tenant_id=uuid.UUID(body["tenant"]),
            day=dt.date.fromisoformat(body["date"]),
            version=int(body["version"]),
            committed_at=body.get("committed_at", ""),
            dropped=bool(body.get("dropped", False)),
            hours={
                int(h): Partition(
                    files=[FileEntry(**f) for f in p["files"]],
                    fingerprint=p.get("fingerprint", ""),
                    batches=list(p.get("batches", [])),
                )
                for h, p in body.get("hours", {}).items()
            },
            day_files=[FileEntry(**f) for f in body.get("day_files", [])],
        )


def load_manifest(store: LakeStore, dataset: str, tenant_id: uuid.UUID, day: dt.date) -> DayManifest:
    data = store.read_bytes(manifest_path(dataset, tenant_id, day))
    if data is None:
        return DayManifest(dataset=dataset, tenant_id=tenant_id, day=day)
    return DayManifest.from_bytes(data)


def save_manifest(store: LakeStore, manifest: DayManifest) -> None:
    """The commit: one atomic object write. Bumps the version and stamps the commit time."""
    manifest.version += 1
    manifest.committed_at = dt.datetime.now(dt.UTC).isoformat()
    store.write_bytes(manifest_path(manifest.dataset, manifest.tenant_id, manifest.day), manifest.to_bytes())


def manifest_days(store: LakeStore, dataset: str, tenant_id: uuid.UUID) -> list[dt.date]:
    """Every day with a manifest (committed data or a retention tombstone), sorted."""
    out = []
    for obj in store.list(f"{tenant_prefix(dataset, tenant_id)}/_manifest"):
        name = obj.path.rsplit("/", 1)[-1]
        if name.startswith("date=") and name.endswith(".json"):
            try:
                out.append(dt.date.fromisoformat(name[5:-5]))
            except ValueError:
                continue
    return sorted(out)


def lake_tenants(store: LakeStore, dataset: str) -> list[uuid.UUID]:
    out = []
    for info in store.fs.get_file_info(pafs.FileSelector(store.full(dataset), allow_not_found=True)):
        name = info.base_name
        if name.startswith("tenant="):
            try:
                out.append(uuid.UUID(name[7:]))
            except ValueError:
                continue
    return out
