"""Kept documents over HTTP: only PDF, JPEG and PNG by their first bytes, served back safely."""

from __future__ import annotations

import hashlib

from enforcement_support import AUDITOR, OFFICER, EnforcementService
from sqlalchemy import func, select

from ccc_contracts.envelope import utcnow
from enforcement.projections.read_models import store_document
from enforcement.projections.tables import documents

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
HTML = b"<!DOCTYPE html><html><script>fetch('/cases')</script></html>"


def kept(service: EnforcementService) -> int:
    """How many documents the service keeps."""
    with service.store.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(documents)).scalar_one())


async def upload(
    service: EnforcementService, content: bytes, content_type: str, filename: bytes = b"d.pdf"
) -> tuple[int, dict[str, object]]:
    headers = {**OFFICER, "Content-Type": content_type, "X-Filename": filename}
    response = await service.http.post("/documents", content=content, headers=headers)
    return response.status_code, response.json()


async def test_an_html_page_is_refused_and_nothing_is_kept(service: EnforcementService) -> None:
    events = service.event_count()
    for declared in ("text/html", "application/pdf", "application/octet-stream"):
        status, body = await upload(service, HTML, declared)
        assert status == 415
        assert str(body["detail"]).startswith(
            "the document is none of application/pdf, image/jpeg, image/png by its first bytes"
        )
    assert kept(service) == 0
    assert service.event_count() == events
    sha256 = hashlib.sha256(HTML).hexdigest()
    assert (await service.http.get(f"/documents/{sha256}", headers=AUDITOR)).status_code == 404


async def test_a_pdf_sent_as_a_photo_and_an_empty_body_are_refused(
    service: EnforcementService,
) -> None:
    status, body = await upload(service, PDF, "image/png")
    assert (status, body["detail"]) == (
        415, "the document is application/pdf by its first bytes, not 'image/png' as sent",
    )  # fmt: skip
    assert (await upload(service, b"", "application/pdf"))[0] == 422
    assert kept(service) == 0


async def test_a_photo_is_served_as_what_its_bytes_are_never_as_sent(
    service: EnforcementService,
) -> None:
    status, body = await upload(service, PNG, "application/octet-stream", b"evidence.html")
    assert status == 201, body
    served = await service.http.get(f"/documents/{body['sha256']}", headers=AUDITOR)
    assert served.content == PNG
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert served.headers["content-disposition"] == (
        "attachment; filename=\"evidence.html.png\"; filename*=UTF-8''evidence.html.png"
    )
    assert kept(service) == 1


async def test_the_crafted_filename_is_served_as_one_harmless_attachment(
    service: EnforcementService,
) -> None:
    crafted = b"UTF-8''a%22%3B%20x%3Dy%0D%0ASet-Cookie%3A%20z.pdf"  # a"; x=y\r\nSet-Cookie: z.pdf
    status, body = await upload(service, PDF, "application/pdf", crafted)
    assert status == 201, body
    served = await service.http.get(f"/documents/{body['sha256']}", headers=AUDITOR)
    assert served.headers.get_list("content-disposition") == [
        'attachment; filename="a; x=y Set-Cookie: z.pdf";'
        " filename*=UTF-8''a%3B%20x%3Dy%20Set-Cookie%3A%20z.pdf"
    ]
    assert "set-cookie" not in served.headers
    quoted = await upload(service, PDF + b"2", "application/pdf", b'a"; x=y.pdf')
    again = await service.http.get(f"/documents/{quoted[1]['sha256']}", headers=AUDITOR)
    assert again.headers["content-disposition"].startswith('attachment; filename="a; x=y.pdf";')


async def test_a_chinese_name_is_served_in_utf8_with_an_ascii_stand_in(
    service: EnforcementService,
) -> None:
    raw = "处罚决定书.pdf".encode()  # UTF-8 bytes in the header, as most clients send them
    status, body = await upload(service, PDF, "application/pdf", raw)
    assert status == 201, body
    served = await service.http.get(f"/documents/{body['sha256']}", headers=AUDITOR)
    assert served.headers["content-disposition"] == (
        'attachment; filename="_____.pdf";'
        " filename*=UTF-8''%E5%A4%84%E7%BD%9A%E5%86%B3%E5%AE%9A%E4%B9%A6.pdf"
    )
    assert served.headers["content-type"] == "application/pdf"


async def test_a_file_kept_before_types_were_checked_is_served_only_as_a_download(
    service: EnforcementService,
) -> None:
    sha256 = hashlib.sha256(HTML).hexdigest()
    with service.store.transaction() as conn:  # as an upload before this version kept it
        store_document(
            conn, sha256=sha256, filename='x".html', media_type="text/html", content=HTML,
            stored_at=utcnow(), stored_by="officer-3",
        )  # fmt: skip
    served = await service.http.get(f"/documents/{sha256}", headers=AUDITOR)
    assert served.headers["content-type"] == "application/octet-stream"
    assert served.headers["content-disposition"] == (
        "attachment; filename=\"x.html.bin\"; filename*=UTF-8''x.html.bin"
    )


async def test_an_upload_without_a_token_is_401_keeps_nothing_and_says_nosniff(
    service: EnforcementService,
) -> None:
    response = await service.http.post(
        "/documents", content=PDF, headers={"Content-Type": "application/pdf"}
    )
    assert response.status_code == 401
    assert response.headers["x-content-type-options"] == "nosniff"
    assert kept(service) == 0
