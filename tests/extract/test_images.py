"""Image bombs: a few bytes claiming gigapixels, or more pages than a document has."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from nex_automat.errors import DocumentError, ImageTooLarge, TooManyPages
from nex_automat.extract.document import extract_document
from nex_automat.extract.images import MAX_PIXELS, load_images


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) claims ``width`` × ``height`` pixels."""
    buffer = io.BytesIO()
    Image.new("L", (16, 16), 255).save(buffer, format="JPEG")
    data = bytearray(buffer.getvalue())
    frame = data.find(b"\xff\xc0")
    data[frame + 5 : frame + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


def tiff_of(pages: int) -> bytes:
    buffer = io.BytesIO()
    frames = [Image.new("L", (32, 32), 255) for _ in range(pages)]
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def refused(data: bytes, error: type[DocumentError], **limits: int) -> None:
    started = time.perf_counter()
    with pytest.raises(error) as caught:
        load_images(data, **{"max_pages": 10, **limits})
    assert caught.value.code == error.code
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("size", [(65_000, 65_000), (60_000, 2_000)])
def test_a_jpeg_claiming_gigapixels_is_refused_before_decoding(size: tuple[int, int]) -> None:
    assert size[0] * size[1] > MAX_PIXELS
    refused(jpeg_claiming(*size), ImageTooLarge)


def test_the_pixel_limit_is_ours_not_pillows() -> None:
    refused(jpeg_claiming(1000, 1000), ImageTooLarge, max_pixels=999_999)


def test_a_tiff_with_more_pages_than_allowed_is_refused() -> None:
    refused(tiff_of(12), TooManyPages)


def test_an_image_bomb_ends_in_its_code_through_extraction() -> None:
    with pytest.raises(ImageTooLarge) as caught:
        extract_document(jpeg_claiming(65_000, 65_000))
    assert caught.value.code == "image_too_large"
