"""Import sources: a named kind of ERP export and the column mapping its files need.

An ERP exports the same columns every time, so the mapping worked out for the first file
of a source ("pohoda-products") is saved with it and read again for the next file: the
person importing names the source, not the mapping. The saved mapping is what the import
is given, in place of a typed one, and goes through
:func:`~nex_automat.catalog.importing.resolve_mapping` like any other; a mapping typed
for one import replaces the saved one when that import is written. Sources belong to a
tenant (queries run in a tenant session).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from nex_automat.catalog.importing import ImportKind
from nex_automat.errors import NexError
from nex_automat.store.models import CatalogueSource
from nex_automat.store.sqltypes import utcnow

NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
"""Lower-case letters, digits, ``.``, ``_`` and ``-``: a name typed on a command line."""


class SourceError(NexError):
    """A source name that is not valid, unknown, or of another kind than asked for."""

    code = "import_source"


def source_name(text: str) -> str:
    """The name as stored (trimmed, lower case), or :class:`SourceError` if it is no name."""
    name = text.strip().lower()
    if not NAME_PATTERN.fullmatch(name):
        raise SourceError(
            f"{text!r} is not a source name: use up to 100 lower-case letters, digits, "
            "'.', '_' or '-', starting with a letter or digit"
        )
    return name


def get_source(session: Session, name: str) -> CatalogueSource | None:
    return session.scalars(
        select(CatalogueSource).where(CatalogueSource.name == source_name(name))
    ).one_or_none()


def list_sources(session: Session) -> list[CatalogueSource]:
    return list(session.scalars(select(CatalogueSource).order_by(CatalogueSource.name)))


def source_kind(source: CatalogueSource | None, kind: ImportKind | None) -> ImportKind:
    """The kind to import: the source's, which a kind given as well must agree with."""
    if source is None:
        if kind is None:
            raise SourceError("say what the file lists (products, barcodes, groups, partners)")
        return kind
    saved = ImportKind(source.kind)
    if kind is not None and kind is not saved:
        raise SourceError(f"source {source.name!r} imports {saved}, not {kind}")
    return saved


def save_source(
    session: Session,
    name: str,
    kind: ImportKind,
    mapping: Mapping[str, str],
    *,
    actor: str | None = None,
) -> CatalogueSource:
    """Create the source or replace its kind and mapping with those of the latest import."""
    source = get_source(session, name)
    if source is None:
        source = CatalogueSource(name=source_name(name))
        session.add(source)
    source.kind = kind.value
    source.mapping = dict(mapping)
    source.updated_by = actor
    source.updated_at = utcnow()
    session.flush()
    return source


def delete_source(session: Session, name: str) -> bool:
    source = get_source(session, name)
    if source is None:
        return False
    session.delete(source)
    session.flush()
    return True
