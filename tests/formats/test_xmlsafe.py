"""Untrusted XML is parsed without entities, DTDs or network, within size and depth limits."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from nex_automat.errors import XmlEntitiesRefused, XmlError, XmlTooDeep, XmlTooLarge
from nex_automat.formats.xmlsafe import DEFAULT_MAX_DEPTH, parse_xml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Invoice>&lol9;</Invoice>
"""


def quadratic_blowup() -> bytes:
    entity = "A" * 50_000
    references = "&a;" * 50_000
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE kaboom [<!ENTITY a "{entity}">]>\n'
        f"<kaboom>{references}</kaboom>"
    ).encode()


def refused_quickly(data: bytes) -> XmlEntitiesRefused:
    started = time.perf_counter()
    with pytest.raises(XmlEntitiesRefused) as caught:
        parse_xml(data)
    assert time.perf_counter() - started < 0.5
    return caught.value


def test_billion_laughs_is_refused_in_well_under_a_second() -> None:
    refused_quickly(BILLION_LAUGHS)


def test_billion_laughs_in_utf16_is_refused() -> None:
    refused_quickly(
        BILLION_LAUGHS.decode().replace("1.0", '1.0" encoding="UTF-16').encode("utf-16")
    )


def test_quadratic_blowup_is_refused_in_well_under_a_second() -> None:
    refused_quickly(quadratic_blowup())


def test_external_entity_to_a_local_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n<r>&x;</r>'
    ).encode()
    error = refused_quickly(data)
    assert "TOP-SECRET-CONTENT" not in error.message


def test_parameter_entity_to_etc_passwd_is_refused() -> None:
    data = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>
<r/>"""
    error = refused_quickly(data)
    assert "root:" not in error.message


@pytest.fixture
def listening_socket() -> Iterator[socket.socket]:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.setblocking(False)
    yield server
    server.close()


def test_external_entity_over_http_is_refused_without_connecting(
    listening_socket: socket.socket,
) -> None:
    port = listening_socket.getsockname()[1]
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/x">]>\n'
        "<r>&x;</r>"
    ).encode()
    refused_quickly(data)
    with pytest.raises(BlockingIOError):
        listening_socket.accept()


def test_external_dtd_over_http_is_refused_without_connecting(
    listening_socket: socket.socket,
) -> None:
    port = listening_socket.getsockname()[1]
    data = f'<!DOCTYPE r SYSTEM "http://127.0.0.1:{port}/r.dtd"><r/>'.encode()
    refused_quickly(data)
    with pytest.raises(BlockingIOError):
        listening_socket.accept()


def test_doctype_after_comments_and_processing_instructions_is_refused() -> None:
    data = b'<?xml version="1.0"?>\n<!-- a comment -->\n<?pi x?>\n<!DOCTYPE r>\n<r/>'
    refused_quickly(data)


def test_doctype_word_inside_text_is_not_a_declaration() -> None:
    root = parse_xml(b"<r><![CDATA[<!DOCTYPE html>]]></r>")
    assert root.text == "<!DOCTYPE html>"


def test_refusal_is_an_xml_error_with_a_stable_code() -> None:
    error = refused_quickly(BILLION_LAUGHS)
    assert isinstance(error, XmlError)
    assert error.code == "xml_entities_refused"


def test_document_over_the_size_limit_is_refused_before_parsing() -> None:
    data = b"<r>" + b"x" * 2000 + b"</r>"
    with pytest.raises(XmlTooLarge) as caught:
        parse_xml(data, max_bytes=1000)
    assert caught.value.code == "xml_too_large"


def test_document_at_the_size_limit_is_parsed() -> None:
    data = b"<r>" + b"x" * 993 + b"</r>"
    assert len(data) == 1000
    assert parse_xml(data, max_bytes=1000).tag == "r"


def nested(depth: int) -> bytes:
    return b"<a>" * depth + b"</a>" * depth


def test_nesting_at_the_depth_limit_is_parsed() -> None:
    assert parse_xml(nested(DEFAULT_MAX_DEPTH)).tag == "a"


def test_nesting_past_the_depth_limit_is_refused() -> None:
    with pytest.raises(XmlTooDeep) as caught:
        parse_xml(nested(DEFAULT_MAX_DEPTH + 1))
    assert caught.value.code == "xml_too_deep"


def test_nesting_past_libxml2s_own_limit_is_reported_as_too_deep() -> None:
    with pytest.raises(XmlTooDeep):
        parse_xml(nested(5000))


def test_custom_depth_limit_applies() -> None:
    with pytest.raises(XmlTooDeep):
        parse_xml(nested(11), max_depth=10)


TEXT = "Žluťoučký kůň úpěl ďábelské ódy: 1 234,50 €"
TEXT_8BIT = TEXT.replace("€", "EUR")


def declared(text: str, encoding: str, codec: str) -> bytes:
    return f'<?xml version="1.0" encoding="{encoding}"?><r>{text}</r>'.encode(codec)


@pytest.mark.parametrize(
    ("data"),
    [
        pytest.param(f"<r>{TEXT}</r>".encode(), id="utf-8 without declaration"),
        pytest.param(b"\xef\xbb\xbf" + f"<r>{TEXT}</r>".encode(), id="utf-8 with BOM"),
        pytest.param(
            f'<?xml version="1.0" encoding="UTF-16"?><r>{TEXT}</r>'.encode("utf-16"),
            id="utf-16 with BOM",
        ),
        pytest.param(
            f'<?xml version="1.0" encoding="UTF-16LE"?><r>{TEXT}</r>'.encode("utf-16-le"),
            id="utf-16-le without BOM",
        ),
        pytest.param(
            f'<?xml version="1.0" encoding="UTF-16BE"?><r>{TEXT}</r>'.encode("utf-16-be"),
            id="utf-16-be without BOM",
        ),
        pytest.param(declared(TEXT_8BIT, "windows-1250", "cp1250"), id="windows-1250 declared"),
        pytest.param(declared(TEXT_8BIT, "ISO-8859-2", "iso-8859-2"), id="iso-8859-2 declared"),
    ],
)
def test_declared_and_marked_encodings_are_decoded(data: bytes) -> None:
    assert parse_xml(data).text in {TEXT, TEXT.replace("€", "EUR")}


def test_doctype_in_utf16_without_bom_is_refused() -> None:
    data = '<?xml version="1.0" encoding="UTF-16LE"?><!DOCTYPE r><r/>'.encode("utf-16-le")
    refused_quickly(data)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"<r><a></r>", id="mismatched tag"),
        pytest.param(b"<r>", id="unclosed root"),
        pytest.param(b"not xml at all", id="plain text"),
        pytest.param(b"<r>&undefined;</r>", id="undefined entity"),
        pytest.param(b"<!-- unterminated comment <r/>", id="unterminated comment"),
        pytest.param(b"", id="empty"),
        pytest.param(b"  \n ", id="blank"),
    ],
)
def test_malformed_xml_is_an_xml_error(data: bytes) -> None:
    with pytest.raises(XmlError) as caught:
        parse_xml(data)
    assert type(caught.value) is XmlError
    assert caught.value.code == "invalid_xml"


def test_malformed_xml_error_carries_the_parsers_message() -> None:
    with pytest.raises(XmlError) as caught:
        parse_xml(b"<r><a></r>")
    assert "line 1" in caught.value.message


def test_namespaces_comments_and_whitespace_are_kept() -> None:
    root = parse_xml(b'<r xmlns="urn:x">\n  <!-- c -->\n  <a>1</a>\n</r>')
    assert root.tag == "{urn:x}r"
    assert root.text == "\n  "
    assert [child.tag for child in root if isinstance(child.tag, str)] == ["{urn:x}a"]
