"""The attachment store: files kept under ATTACHMENTS_DIR, content-addressed by sha256.

`put` writes a file once (a second put of the same bytes is a no-op) through a temporary file and
a rename, so a reader never sees half a file; `discard` removes a file no attachment row refers
to (a card cancelled or expired before its contract was filed)."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from sqlmodel import Session, select

from storage.models import Attachment


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class AttachmentStore:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Keep `data`; its sha256 (the file's name)."""
        digest = sha256_of(data)
        target = self.path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def discard(self, sha256: str, *, session: Session) -> bool:
        """Remove the file unless an attachment row refers to it; True when it was removed."""
        if session.exec(select(Attachment.id).where(Attachment.sha256 == sha256)).first() is not None:
            return False
        target = self.path(sha256)
        if not target.exists():
            return False
        target.unlink()
        return True


def attachment_store(settings) -> AttachmentStore:
    return AttachmentStore(settings.attachments_dir)
