"""Uploads: ``POST /ingest`` with a bearer token (``POLICYKG_TOKEN``).

Each uploaded file is kept in the workspace as the stored source of its document (see
``PolicyKG.ingest_uploads``). Two files with the same name in one request are both kept: the
second is stored as ``name (2).ext``. A request where every file failed is a 422 naming each
file and its reason (the files were received but none could be ingested); when some files
were ingested the answer is 200 and ``failed`` lists the others. A workspace served
read-only (``policykg serve --workers N`` or ``--read-only``) refuses first, token or not,
with a 409 saying how to ingest instead: no token would make the write possible.
"""

from __future__ import annotations

import hmac
import re
from pathlib import PurePath
from typing import Any

from fastapi import APIRouter, Depends, File, Request, UploadFile

from api import schemas
from api.errors import Forbidden, PayloadTooLarge, PolicyKGError, Unauthorized
from api.routers import get_service, get_settings
from api.settings import Settings, human_bytes

router = APIRouter()


class NothingIngested(PolicyKGError):
    """Every file of an upload failed (the report's ``failed`` list is attached)."""

    status = 422


@router.post("/ingest", summary="upload documents (needs POLICYKG_TOKEN and a bearer token)",
             response_model=schemas.IngestReport,
             responses={409: {"model": schemas.ErrorResponse,
                              "description": "the workspace is served read-only; the message says how to ingest"}})
def ingest(request: Request, files: list[UploadFile] = File(...), svc: Any = Depends(get_service),
           settings: Settings = Depends(get_settings)) -> Any:
    refuse = getattr(svc, "require_writable", None)  # a test's stand-in service may lack it
    if refuse is not None:
        refuse("ingest")
    token = settings.token
    limit = settings.limits.max_file_bytes
    if not token:
        raise Forbidden("ingest over HTTP is disabled: start the server with POLICYKG_TOKEN set "
                        "(POLICYKG_TOKEN=secret policykg serve)", param="Authorization")
    auth = request.headers.get("authorization", "")
    given = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    if not hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8")):  # constant time
        raise Unauthorized("Authorization: missing or wrong bearer token (Authorization: Bearer …)",
                           param="Authorization")
    uploads: list[tuple[str, bytes]] = []
    names: set[str] = set()
    total = 0
    for upload in files:
        name = unique_name(safe_name(upload.filename or "upload.txt"), names)
        data = upload.file.read(limit + 1)
        total += len(data)
        if len(data) > limit or total > limit:
            raise PayloadTooLarge(f"files: {name}: upload larger than the limit of {human_bytes(limit)} "
                                  "(POLICYKG_MAX_FILE_MB)", param="files")
        uploads.append((name, data))
    report = svc.ingest_uploads(uploads).to_dict()
    if report["failed"] and not (report["added"] or report["unchanged"] or report["duplicates"]):
        shown = "; ".join(f"{PurePath(f['file']).name}: {f['error']}" for f in report["failed"][:10])
        raise NothingIngested(f"files: none of the {len(report['failed'])} file(s) could be ingested: {shown}",
                              param="files", failed=report["failed"])
    return report


def safe_name(name: str) -> str:
    """The base name of an uploaded file, without path parts or control characters."""
    base = re.split(r"[\\/]", name)[-1].strip().lstrip(".")
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip()
    return base or "upload.txt"


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``stem (2).ext``, ``stem (3).ext`` … when another upload of the request
    has it already; the result is added to ``taken``."""
    candidate, n = name, 1
    path = PurePath(name)
    while candidate in taken:
        n += 1
        candidate = f"{path.stem} ({n}){path.suffix}"
    taken.add(candidate)
    return candidate
