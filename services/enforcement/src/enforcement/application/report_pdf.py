"""The CNCA report as a document a person can file: a one-page PDF in Chinese (reportlab).

The Chinese text is set in the Adobe CID font STSong-Light, which PDF readers supply, so no
font file is shipped. Rendering is deterministic (``invariant``): the same report gives the same
bytes, hence the same SHA-256 when it is stored with the case.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from enforcement.domain.cnca_report import CncaReport

FONT = "STSong-Light"
TITLE = "认证行政执法案件信息报送表"


def _styles() -> tuple[ParagraphStyle, ParagraphStyle]:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=15, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=22, alignment=1)
    return title, body


def report_rows(report: CncaReport) -> list[tuple[str, str]]:
    """The form's lines, label and value, in the order the CNCA system asks for them."""
    document = report.penalty_decision_document
    return [
        ("案件编号", report.case_number),
        ("当事人名称", report.party_name or "（名称未登记）"),
        ("统一社会信用代码", report.party_credit_code),
        ("产品名称", report.product or "—"),
        ("认证证书编号", report.certificate_number or "—"),
        ("案件来源", report.case_source),
        ("案件信息", report.case_information),
        ("处罚依据", report.penalty_basis),
        ("处罚种类", report.penalty_type),
        ("罚没金额（元）", f"{report.penalty_amount:,}"),
        ("案情描述", report.case_description),
        ("处罚决定书文号", document.number),
        ("处罚决定书电子文本", f"{document.file_reference}（SHA-256 {document.sha256}）"),
        ("结案日期", str(report.closed_on)),
        ("报送期限", f"结案后20日内，即{report.due_on}前"),
    ]


def render_report(report: CncaReport) -> bytes:
    """The report as a PDF form: title, then one row per field."""
    title, body = _styles()
    rows = [
        [Paragraph(label, body), Paragraph(value, body)] for label, value in report_rows(report)
    ]
    table = Table(rows, colWidths=[40 * mm, 130 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "#000000"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, -1), "#EEEEEE"),
            ]
        )
    )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=f"{TITLE} {report.case_number}", invariant=1,
        topMargin=20 * mm, bottomMargin=20 * mm,
    )  # fmt: skip
    document.build([Paragraph(TITLE, title), Spacer(1, 6 * mm), table])
    return buffer.getvalue()
