"""Reading an e-mail: its sender, and the invoice documents among its parts and archives."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage

import pytest

from nex_automat.pipeline.mail_parts import (
    ZipLimits,
    read_mail,
    sender_allowed,
    unpack_archive,
)

PDF = b"%PDF-1.7\n% faktura\n%%EOF\n"
XML = (
    b'<?xml version="1.0"?>'
    b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
)


def zip_of(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def message(*, sender: str = "Dodávateľ <Faktury@Dodavatel.SK>") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["Subject"] = "=?utf-8?q?Fakt=C3=BAra_=C4=8D=2E_42?="
    mail["Message-ID"] = "<42@dodavatel.sk>"
    mail["Date"] = "Thu, 31 Oct 2024 09:15:00 +0100"
    mail.set_content("Dobrý deň, faktúra je v prílohe.")
    return mail


@pytest.mark.parametrize(
    ("sender", "allowed", "taken"),
    [
        ("faktury@dodavatel.sk", [], True),
        (None, [], True),
        ("faktury@dodavatel.sk", ["@dodavatel.sk"], True),
        ("Faktury@Dodavatel.SK", ["@DODAVATEL.sk"], True),
        ("faktury@pobocka.dodavatel.sk", ["@dodavatel.sk"], False),
        ("faktury@dodavatel.sk.evil.com", ["@dodavatel.sk"], False),
        ("uctaren@partner.cz", ["uctaren@partner.cz"], True),
        ("info@partner.cz", ["uctaren@partner.cz"], False),
        (None, ["@dodavatel.sk"], False),
    ],
)
def test_sender_allowed(sender: str | None, allowed: list[str], taken: bool) -> None:
    assert sender_allowed(sender, allowed) is taken


def test_headers_are_decoded_and_the_sender_is_the_lower_case_address() -> None:
    content = read_mail(message().as_bytes())

    assert content.sender == "faktury@dodavatel.sk"
    assert content.subject == "Faktúra č. 42"
    assert content.message_id == "<42@dodavatel.sk>"
    assert content.sent_at is not None
    assert content.sent_at.isoformat() == "2024-10-31T09:15:00+01:00"
    assert content.documents == ()


def test_message_id_is_derived_from_the_bytes_when_missing() -> None:
    mail = message()
    del mail["Message-ID"]
    raw = mail.as_bytes()

    first, again = read_mail(raw), read_mail(raw)

    assert first.message_id == again.message_id
    assert first.message_id.endswith("@nex-automat.invalid>")
    assert read_mail(raw + b"\n").message_id != first.message_id


def test_documents_are_recognised_by_content_whatever_their_name_or_type() -> None:
    mail = message()
    mail.add_attachment(PDF, maintype="application", subtype="octet-stream", filename="scan")
    mail.add_attachment(XML, maintype="text", subtype="plain", filename="faktura.isdoc")
    mail.add_attachment(b"\x89PNG\r\n\x1a\n", maintype="image", subtype="png", filename="logo.pdf")
    mail.add_attachment("<html><body>x</body></html>", subtype="html", filename="view.html")

    content = read_mail(mail.as_bytes())

    assert [(part.filename, part.data) for part in content.documents] == [
        ("scan", PDF),
        ("faktura.isdoc", XML),
    ]
    assert [part.filename for part in content.skipped] == ["logo.pdf"]


def test_non_ascii_attachment_name_is_decoded() -> None:
    mail = message()
    mail.add_attachment(PDF, maintype="application", subtype="pdf", filename="Faktúra č. 7.pdf")

    [part] = read_mail(mail.as_bytes()).documents

    assert part.filename == "Faktúra č. 7.pdf"


def test_invoice_in_a_forwarded_message_is_found() -> None:
    original = message(sender="faktury@dodavatel.sk")
    original.add_attachment(PDF, maintype="application", subtype="pdf", filename="FV-1.pdf")
    forward = message(sender="uctaren@odberatel.sk")
    forward.add_attachment(original)

    content = read_mail(forward.as_bytes())

    assert [part.filename for part in content.documents] == ["FV-1.pdf"]
    assert content.sender == "uctaren@odberatel.sk"


def test_zip_entries_become_documents_named_without_their_path() -> None:
    archive = zip_of(
        {"../../etc/FV-1.pdf": PDF, "sub\\dir\\FV-2.xml": XML, "folder/": b"", "x.txt": b"hi"}
    )

    documents, skipped = unpack_archive("faktury.zip", archive, ZipLimits())

    assert [(part.filename, part.data) for part in documents] == [
        ("FV-1.pdf", PDF),
        ("FV-2.xml", XML),
    ]
    assert [(part.filename, part.reason) for part in skipped] == [
        ("faktury.zip: x.txt", "not a PDF or XML")
    ]


def test_archive_inside_an_archive_is_not_unpacked() -> None:
    inner = zip_of({"FV-1.pdf": PDF})
    archive = zip_of({"inner.zip": inner, "FV-2.pdf": PDF})

    documents, skipped = unpack_archive("faktury.zip", archive, ZipLimits())

    assert [part.filename for part in documents] == ["FV-2.pdf"]
    assert [part.reason for part in skipped] == ["archives inside archives are not unpacked"]


@pytest.mark.parametrize(
    ("entries", "limits", "reason"),
    [
        ({f"{n}.pdf": PDF for n in range(4)}, ZipLimits(max_entries=3), "4 files, over 3"),
        ({"a.pdf": PDF * 100}, ZipLimits(max_total_bytes=1000), "unpacks to"),
        ({"bomb.pdf": PDF + bytes(1_000_000)}, ZipLimits(), "compressed suspiciously well"),
    ],
)
def test_archive_beyond_a_limit_gives_no_documents_at_all(
    entries: dict[str, bytes], limits: ZipLimits, reason: str
) -> None:
    documents, skipped = unpack_archive("faktury.zip", zip_of(entries), limits)

    assert documents == []
    [refused] = skipped
    assert reason in refused.reason


def test_sizes_in_zip_headers_are_not_trusted() -> None:
    """An entry whose headers claim 40 bytes but that inflates to a megabyte."""
    payload = PDF + bytes(1_000_000)
    archive = zip_of({"a.pdf": payload})
    lying = archive.replace(len(payload).to_bytes(4, "little"), (40).to_bytes(4, "little"))
    assert lying != archive

    documents, skipped = unpack_archive("faktury.zip", lying, ZipLimits(max_ratio=10**9))

    assert all(len(part.data) < len(payload) for part in documents)
    assert documents == [] and len(skipped) == 1


def test_damaged_archive_is_skipped_with_its_reason() -> None:
    documents, skipped = unpack_archive("faktury.zip", b"PK\x03\x04 broken", ZipLimits())

    assert documents == []
    assert skipped[0].reason.startswith("damaged ZIP archive")
