"""Kept documents: a type from the first bytes only, a served name that cannot break a header."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enforcement.api.document_files import (
    KEPT_TYPES,
    DocumentRefusedError,
    DocumentType,
    check_type,
    content_disposition,
    safe_filename,
    uploaded_filename,
)

pytestmark = pytest.mark.unit
PDF, JPEG, PNG = KEPT_TYPES


def test_a_pdf_a_jpeg_and_a_png_are_known_by_their_first_bytes() -> None:
    # given the first bytes of each kept kind, sent without a type
    heads = [b"%PDF-1.7\n%", b"\xff\xd8\xff\xe0\x00\x10JF", b"\x89PNG\r\n\x1a\n"]
    # then each is what its bytes say
    assert [check_type(head, "application/octet-stream").media_type for head in heads] == [
        "application/pdf", "image/jpeg", "image/png",
    ]  # fmt: skip


def test_an_html_page_is_refused_whatever_it_claims_to_be() -> None:
    for declared in ("text/html", "application/pdf", ""):
        with pytest.raises(DocumentRefusedError, match="none of application/pdf, image/jpeg"):
            check_type(b"<!DOCTYPE html><script>", declared)


def test_a_pdf_sent_as_a_photo_is_refused() -> None:
    with pytest.raises(
        DocumentRefusedError, match="is application/pdf by its first bytes, not 'image/png'"
    ):
        check_type(b"%PDF-1.4\n", "image/png")


def test_a_declared_type_with_parameters_that_agrees_is_taken() -> None:
    assert check_type(b"%PDF-1.4\n", "Application/PDF; name=x").media_type == "application/pdf"


def test_the_crafted_filename_is_served_as_one_harmless_attachment() -> None:
    # given a name trying to close the quoted string and add a header
    crafted = uploaded_filename(b"UTF-8''a%22%3B%20x%3Dy%0D%0ASet-Cookie%3A%20z.pdf")
    assert crafted == 'a"; x=y\r\nSet-Cookie: z.pdf'
    # then the served header is one attachment with its quotes and line breaks gone
    assert content_disposition(crafted, PDF) == (
        'attachment; filename="a; x=y Set-Cookie: z.pdf";'
        " filename*=UTF-8''a%3B%20x%3Dy%20Set-Cookie%3A%20z.pdf"
    )


def test_a_chinese_name_keeps_its_words_in_filename_star_and_an_ascii_stand_in() -> None:
    name = uploaded_filename("杭上市监罚〔2026〕7号 决定书.pdf".encode())
    assert content_disposition(name, PDF) == (
        "attachment; filename=\"______2026_7_ ___.pdf\"; filename*=UTF-8''"
        "%E6%9D%AD%E4%B8%8A%E5%B8%82%E7%9B%91%E7%BD%9A%E3%80%942026%E3%80%957"
        "%E5%8F%B7%20%E5%86%B3%E5%AE%9A%E4%B9%A6.pdf"
    )


def test_a_path_a_wrong_extension_and_a_bidi_trick_are_taken_out_of_the_name() -> None:
    assert safe_filename("../../etc/passwd", PDF) == "etc passwd.pdf"
    assert safe_filename("C:\\evidence\\photo.html", PNG) == "C: evidence photo.html.png"
    assert safe_filename("invoice\u202egpj.exe", JPEG) == "invoicegpj.exe.jpg"
    assert safe_filename(' "" ', PDF) == "document.pdf"
    assert safe_filename("photo.JPEG", JPEG) == "photo.JPEG"


def test_a_long_name_is_cut_to_120_characters_keeping_its_extension() -> None:
    name = safe_filename("决" * 500 + ".pdf", PDF)
    assert (len(name), name[-5:]) == (120, "决.pdf")


@given(st.text(max_size=400), st.sampled_from(KEPT_TYPES))
def test_any_name_becomes_a_bounded_header_that_decodes_back(name: str, kind: DocumentType) -> None:
    served = safe_filename(name, kind)
    header = content_disposition(name, kind)
    assert len(served) <= 120
    assert served.lower().endswith(kind.extensions)
    assert not any(char in served for char in "\"'/\\\r\n\x00")
    assert header.isascii()
    assert header.isprintable()
    assert header.count('"') == 2
    assert header.count(";") == served.count(";") + 2
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == served
