"""What the log records being written are about: the request, the document, the tenant.

Context variables, so every thread and every asyncio task has its own values: the HTTP
middleware sets the request id, the job runner the document and its tenant, and the log
handlers (:mod:`nex_automat.ops.logging`) add them to each record. The module sits at the
package's root because rooms at every level set them and none of them may import ``ops``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

FIELDS = ("request_id", "document_id", "tenant")

_VARIABLES: dict[str, ContextVar[str | None]] = {
    name: ContextVar(f"nex_automat_{name}", default=None) for name in FIELDS
}


@contextmanager
def log_context(**values: str | None) -> Iterator[None]:
    """Records logged inside the ``with`` block carry ``values`` (names from :data:`FIELDS`)."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"not a log context field: {', '.join(sorted(unknown))}")
    tokens = [(_VARIABLES[name], _VARIABLES[name].set(value)) for name, value in values.items()]
    try:
        yield
    finally:
        for variable, token in reversed(tokens):
            variable.reset(token)


def current_context() -> dict[str, str]:
    """The fields set where this is called; unset ones are left out."""
    return {name: value for name, var in _VARIABLES.items() if (value := var.get()) is not None}
