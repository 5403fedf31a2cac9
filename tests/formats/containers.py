"""Packages the format tests wrap documents in: ISDOCX archives and PDFs with attachments."""

from __future__ import annotations

import io
import zipfile

import pypdfium2 as pdfium
from reportlab.pdfgen import canvas


def isdocx(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def printed_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Faktúra FV-2025-001")
    page.save()
    return buffer.getvalue()


def pdf_with_attachments(attachments: dict[str, bytes], pdf: bytes | None = None) -> bytes:
    document = pdfium.PdfDocument(pdf or printed_pdf())
    for name, content in attachments.items():
        document.new_attachment(name).set_data(content)
    output = io.BytesIO()
    document.save(output)
    document.close()
    return output.getvalue()
