"""Saving and loading trained RUL models: a directory (``model.joblib`` + ``metadata.json``) for the CLI,
bytes (joblib) for the registry's ``artifact`` column.

joblib files are pickles: load only artifacts this platform wrote (a model directory you trained, or the
tenant's own registry rows).
"""

from __future__ import annotations

import hashlib
import io
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import orjson
import sklearn

from mip.maintenance.errors import ModelArtifactError
from mip.maintenance.rul import RulModel

MODEL_FILE = "model.joblib"
META_FILE = "metadata.json"
FORMAT = "mip-rul/1"


def environment() -> dict[str, str]:
    return {
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "python": platform.python_version(),
    }


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def dumps_model(model: RulModel) -> bytes:
    buf = io.BytesIO()
    joblib.dump(model, buf, compress=3)
    return buf.getvalue()


def loads_model(blob: bytes) -> RulModel:
    try:
        model = joblib.load(io.BytesIO(blob))
    except Exception as exc:  # noqa: BLE001 - any unpickling failure means a bad artifact
        raise ModelArtifactError(f"cannot load the model artifact: {exc}") from exc
    if not isinstance(model, RulModel) or model.regressor is None:
        raise ModelArtifactError("the artifact is not a trained RUL model")
    return model


def sha256(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


def save_model_dir(model: RulModel, metadata: dict[str, Any], out: Path) -> dict[str, Any]:
    """Write ``model.joblib`` and ``metadata.json`` (with the artifact's sha256) into ``out``."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        blob = dumps_model(model)
        (out / MODEL_FILE).write_bytes(blob)
        meta = {"format": FORMAT, **metadata, "artifact": {"file": MODEL_FILE, "sha256": sha256(blob)}}
        (out / META_FILE).write_bytes(orjson.dumps(meta, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY))
    except OSError as exc:
        raise ModelArtifactError(f"cannot write the model to {out}: {exc}", path=str(out)) from exc
    return meta


def load_model_dir(path: Path) -> tuple[RulModel, dict[str, Any]]:
    meta_file, model_file = path / META_FILE, path / MODEL_FILE
    if not path.is_dir() or not meta_file.is_file() or not model_file.is_file():
        raise ModelArtifactError(
            f"{path} is not a model directory (expected {META_FILE} and {MODEL_FILE}; train one with "
            "'mip maintenance train-rul')",
            path=str(path),
        )
    try:
        meta = orjson.loads(meta_file.read_bytes())
        blob = model_file.read_bytes()
    except (OSError, orjson.JSONDecodeError) as exc:
        raise ModelArtifactError(f"cannot read the model directory {path}: {exc}", path=str(path)) from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelArtifactError(f"{meta_file} is not {FORMAT} metadata", path=str(path))
    expected = (meta.get("artifact") or {}).get("sha256")
    if expected and expected != sha256(blob):
        raise ModelArtifactError(f"{model_file} does not match the checksum in {META_FILE}", path=str(path))
    return loads_model(blob), meta
