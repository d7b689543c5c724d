"""Uploads: ``POST /ingest`` with a bearer token (``POLICYKG_TOKEN``)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Request, UploadFile

from api import schemas
from api.errors import Forbidden, PayloadTooLarge, Unauthorized
from api.routers import get_service, get_settings
from api.settings import Settings, human_bytes

router = APIRouter()


@router.post("/ingest", summary="upload documents (needs POLICYKG_TOKEN and a bearer token)",
             response_model=schemas.IngestReport)
def ingest(request: Request, files: list[UploadFile] = File(...), svc: Any = Depends(get_service),
           settings: Settings = Depends(get_settings)) -> Any:
    token = settings.token
    limit = settings.limits.max_file_bytes
    if not token:
        raise Forbidden("ingest over HTTP is disabled: start the server with POLICYKG_TOKEN set")
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("bearer ") or auth[7:].strip() != token:
        raise Unauthorized("missing or wrong bearer token (Authorization: Bearer …)")
    with tempfile.TemporaryDirectory(prefix="policykg-upload-") as tmp:
        paths: list[Path] = []
        total = 0
        for upload in files:
            name = safe_name(upload.filename or "upload.txt")
            data = upload.file.read(limit + 1)
            total += len(data)
            if len(data) > limit or total > limit:
                raise PayloadTooLarge(f"{name}: upload larger than the limit of {human_bytes(limit)} "
                                      "(POLICYKG_MAX_FILE_MB)")
            target = Path(tmp) / name
            target.write_bytes(data)
            paths.append(target)
        return svc.ingest(paths, uploads=True).to_dict()


def safe_name(name: str) -> str:
    """The base name of an uploaded file, without path parts or control characters."""
    base = re.split(r"[\\/]", name)[-1].strip().lstrip(".")
    base = re.sub(r"[\x00-\x1f]", "", base)
    return base or "upload.txt"
