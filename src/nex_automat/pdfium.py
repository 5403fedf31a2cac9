"""The one lock every use of PDFium in NEX Automat takes.

PDFium keeps global state and is not thread-safe: two threads inside it at once (a web
server reading uploads from a thread pool, a worker extracting while another looks for
attachments) can crash the process. Any code that opens, reads or closes a PDFium
document, through ``pypdfium2`` or its raw bindings, holds this lock for the whole time.
"""

from __future__ import annotations

import threading

PDFIUM_LOCK = threading.Lock()
