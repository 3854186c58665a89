"""Subgroup data in time order: variables (individual measurements, ragged subgroups) or attributes (a count
per subgroup with its size), and the per-subgroup statistics, computed vectorised (``reduceat``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt

from mip.quality.spc.errors import SpcInputError

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class Subgroups:
    """``sizes[i]`` is subgroup i's size (float: a u chart's inspection units may be fractional); variables
    data has ``values`` (flat, subgroup after subgroup), attributes data has ``counts`` (defectives or defects
    per subgroup)."""

    sizes: F64
    values: F64 | None = None
    counts: F64 | None = None
    labels: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.labels:
            object.__setattr__(self, "labels", tuple(str(i + 1) for i in range(len(self.sizes))))
        if len(self.labels) != len(self.sizes):
            raise SpcInputError("labels and subgroups differ in length")

    @staticmethod
    def from_groups(groups: list[list[float]], labels: list[str] | None = None) -> Subgroups:
        sizes = np.array([len(g) for g in groups], np.float64)
        if (sizes < 1).any():
            raise SpcInputError(f"subgroup {int(np.argmin(sizes)) + 1} is empty")
        values = np.array([v for g in groups for v in g], np.float64) if groups else np.zeros(0)
        return Subgroups(sizes, values=values, labels=tuple(labels or ()))

    @staticmethod
    def from_counts(counts: list[float], sizes: list[float] | None, labels: list[str] | None = None) -> Subgroups:
        c = np.asarray(counts, np.float64)
        n = np.ones(len(c), np.float64) if sizes is None else np.asarray(sizes, np.float64)
        if len(n) != len(c):
            raise SpcInputError("counts and sizes differ in length")
        if (n <= 0).any() or (c < 0).any():
            raise SpcInputError("sizes must be positive and counts non-negative")
        return Subgroups(n, counts=c, labels=tuple(labels or ()))

    def __len__(self) -> int:
        return len(self.sizes)

    @property
    def is_variables(self) -> bool:
        return self.values is not None

    @property
    def n(self) -> F64:
        return self.sizes

    @cached_property
    def isizes(self) -> I64:
        return self.sizes.astype(np.int64)

    @cached_property
    def _offsets(self) -> I64:
        return np.concatenate([[0], np.cumsum(self.isizes)[:-1]]).astype(np.int64)

    def _vals(self) -> F64:
        if self.values is None:
            raise SpcInputError("this chart needs measurements (variables data), not counts")
        return self.values

    @cached_property
    def means(self) -> F64:
        if len(self) == 0:
            return np.zeros(0)
        return np.add.reduceat(self._vals(), self._offsets) / self.n

    @cached_property
    def ranges(self) -> F64:
        if len(self) == 0:
            return np.zeros(0)
        v = self._vals()
        r = np.maximum.reduceat(v, self._offsets) - np.minimum.reduceat(v, self._offsets)
        return np.where(self.sizes > 1, r, np.nan)

    @cached_property
    def sds(self) -> F64:
        if len(self) == 0:
            return np.zeros(0)
        dev = self._vals() - np.repeat(self.means, self.isizes)
        ss = np.add.reduceat(dev * dev, self._offsets)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.sizes > 1, np.sqrt(ss / (self.n - 1.0)), np.nan)

    def take(self, idx: I64 | Bool) -> Subgroups:
        """The subgroups at ``idx`` (indices or a mask), in order."""
        pos = np.flatnonzero(idx) if np.asarray(idx).dtype == np.bool_ else np.asarray(idx, np.int64)
        labels = tuple(self.labels[i] for i in pos.tolist())
        if self.values is None:
            assert self.counts is not None
            return Subgroups(self.sizes[pos], counts=self.counts[pos], labels=labels)
        if len(pos) == 0:
            return Subgroups(np.zeros(0), values=np.zeros(0), labels=())
        starts, sizes = self._offsets[pos], self.isizes[pos]
        # flat positions of the chosen subgroups, vectorised: start of each + 0..size-1
        rel = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        flat = np.repeat(starts, sizes) + rel
        return Subgroups(self.sizes[pos], values=self.values[flat], labels=labels)

    def split(self, k: int) -> tuple[Subgroups, Subgroups]:
        idx = np.arange(len(self))
        return self.take(idx[:k]), self.take(idx[k:])
