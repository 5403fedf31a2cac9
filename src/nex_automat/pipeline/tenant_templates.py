"""Supplier templates as each tenant sees them.

Every tenant gets the shipped templates and the installation's (``templates_dir/*.yaml``);
a tenant's own templates sit in ``templates_dir/<tenant id>/`` and override those of the
same name. One customer's supplier knowledge never shapes another customer's invoices.
Templates are read once per tenant, like the installation's are read once at start.
"""

from __future__ import annotations

import threading
from pathlib import Path

from nex_automat.extract.templates import SHIPPED_TEMPLATES, TemplateLibrary, load_library


class TenantTemplates:
    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._shared = self._folders()
        self.shared = load_library(self._shared)
        """What a tenant without a folder of its own gets; read now, so a broken template
        stops the start rather than the first document."""
        self._by_tenant: dict[str, TemplateLibrary] = {}
        self._lock = threading.Lock()

    def _folders(self) -> list[Path]:
        folders = [SHIPPED_TEMPLATES] if SHIPPED_TEMPLATES.is_dir() else []
        return folders + ([self.directory] if self.directory is not None else [])

    def for_tenant(self, tenant_id: str) -> TemplateLibrary:
        own = None if self.directory is None else self.directory / tenant_id
        if own is None or not own.is_dir():
            return self.shared
        with self._lock:
            library = self._by_tenant.get(tenant_id)
            if library is None:
                library = load_library([*self._shared, own])
                self._by_tenant[tenant_id] = library
            return library
