"""Document folders as versions before tenant folders left them: every file at
``documents/ab/cd/<sha256>``, shared by the tenants that received the same bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

from nex_automat.store.files import content_path
from nex_automat.store.tenant_folders import UNREFERENCED


def put_shared(root: Path, sha256: str, data: bytes, *, suffix: str = "") -> Path:
    """Write a file of the shared layout, as an earlier version did."""
    path = content_path(root, sha256)
    path = path.with_name(path.name + suffix)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def share_tenant_files(root: Path) -> None:
    """Turn a documents folder of tenant folders back into the shared layout.

    Of a file two tenants have, one copy is kept (the original's bytes are the same; of
    generated files the first tenant's, by name).
    """
    for tenant in sorted(path for path in root.iterdir() if path.name != UNREFERENCED):
        for path in sorted(tenant.glob("??/??/*")):
            target = root / path.relative_to(tenant)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                path.unlink()
            else:
                path.rename(target)
        assert not any(path.is_file() for path in tenant.rglob("*"))
        shutil.rmtree(tenant)


def files_under(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its path relative to it, with its content."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
