"""Reading a request body with a size limit (checked on the declared length and while streaming)."""

from __future__ import annotations

from fastapi import Request

from mip.platform.errors import PayloadTooLarge


async def read_body(request: Request, limit: int, what: str = "request body") -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"{what} exceeds {limit} bytes", max_bytes=limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"{what} exceeds {limit} bytes", max_bytes=limit)
        chunks.append(chunk)
    return b"".join(chunks)
