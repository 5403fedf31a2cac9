"""Moments of the pipeline worth counting, told to whoever watches.

The pipeline calls these hooks; the base class ignores them, and the service's metrics
(:class:`nex_automat.ops.metrics.Metrics`) count them. The pipeline so knows nothing of
Prometheus, and a test or a command that needs no metrics passes nothing.
"""

from __future__ import annotations

XML_METHODS = frozenset({"isdoc", "ubl", "cii"})


def method_family(method: str) -> str:
    """How a document was read, coarsely: ``text``, ``ocr`` or ``xml`` (any e-invoice)."""
    return "xml" if method in XML_METHODS else method


class PipelineEvents:
    """The hooks; each does nothing here."""

    def document_received(self, source: str) -> None:
        """A document was stored and recorded (a duplicate too), from ``source``."""

    def document_processed(self, method: str, seconds: float) -> None:
        """Processing gave an invoice, read by ``method`` (text/ocr/xml), in ``seconds``."""

    def processing_failed(self, code: str) -> None:
        """A document failed, or an attempt broke and will be retried, with ``code``."""
