"""What a completed patrol record means under the CCC rules: violations and minor findings.

Each product seen on site is checked against the certificates the registry knows, and the
record's areas are read for problems. Rules, in the order they are tried for a product:

| rule | when | kind |
| --- | --- | --- |
| certificate_forged | the number shown is not a known certificate | mark_misuse |
| certificate_of_another | the number shown belongs to another holder | mark_misuse |
| no_certificate | no certificate of the enterprise covers the category | no_certificate |
| product_mismatch | the one shown, or all of the category, miss the product | product_mismatch |
| certificate_invalid | no certificate covering the model is valid | certificate_invalid |
| mark_misused | the "use of the 3C mark" area is nonconforming | mark_misuse |

Not valid means suspended, revoked, cancelled or expired (an expired certificate no longer
covers production, like a cancelled one). A product whose model is covered by a valid
certificate but that shows no certificate number, and any other nonconforming area, is a minor
finding (``FindingRecorded``), solved by guidance. One violation per product, so each has its
own evidence and its own case.
"""

from __future__ import annotations

from ccc_contracts.inspection import (
    AreaCheck,
    FindingRecorded,
    PatrolArea,
    ProductSeen,
    ViolationFound,
    ViolationKind,
)

from .inspection_commands import AREA_TITLES, CertificateFact, PatrolRecord

REGULATION = "Order 117"  # AQSIQ Order 117 of 2009 as amended by SAMR Order 61 of 2022

# The article each rule breaks, written once. The numbers follow the bureau's reading of the
# amended Order 117 and MUST be checked against the official text before cases rely on them.
RULES: dict[str, tuple[ViolationKind, str]] = {
    # art 2: catalogue products are certified and marked before leaving the factory; art 49 penalty
    "no_certificate": ("no_certificate", f"{REGULATION} art 2, art 49"),
    # art 51: producing or selling while the certificate is suspended, revoked or cancelled
    "certificate_invalid": ("certificate_invalid", f"{REGULATION} art 51"),
    # art 50: the product made differs from the product certified
    "product_mismatch": ("product_mismatch", f"{REGULATION} art 50"),
    # art 53: forging, altering, lending or using another's certificate
    "certificate_forged": ("mark_misuse", f"{REGULATION} art 53"),
    "certificate_of_another": ("mark_misuse", f"{REGULATION} art 53"),
    # art 55: forging, misusing or illegally using the 3C mark
    "mark_misused": ("mark_misuse", f"{REGULATION} art 55"),
}

Finding = ViolationFound | FindingRecorded


def product_line(product: ProductSeen) -> str:
    """The record line for a product seen on site."""
    shown = product.certificate_number or "none"
    return f"product {product.product_category} model {product.model}, certificate shown: {shown}"


def area_line(check: AreaCheck) -> str:
    """The record line for one area of the form."""
    notes = f": {check.notes}" if check.notes else ""
    return f"{AREA_TITLES[check.area]} {check.result}{notes}"


def certificate_line(certificate: CertificateFact) -> str:
    """A certificate as evidence quotes it."""
    models = ", ".join(certificate.models)
    return (
        f"certificate {certificate.number} ({certificate.product_category}: {models})"
        f" held by {certificate.holder_credit_code}, {certificate.status}"
    )


def check_product(
    product: ProductSeen, credit_code: str, certificates: tuple[CertificateFact, ...]
) -> tuple[str, CertificateFact | None, list[str]] | None:
    """The rule a product breaks, the certificate concerned and the evidence; None if none."""
    known = {certificate.number: certificate for certificate in certificates}
    shown = known.get(product.certificate_number or "")
    line = product_line(product)
    if product.certificate_number and shown is None:
        return "certificate_forged", None, [line, "no such certificate is known"]
    if shown is not None and shown.holder_credit_code != credit_code:
        return "certificate_of_another", shown, [line, certificate_line(shown)]
    if shown is not None and shown.product_category != product.product_category:
        return "product_mismatch", shown, [line, certificate_line(shown)]
    covering = [
        certificate
        for certificate in certificates
        if certificate.holder_credit_code == credit_code
        and certificate.product_category == product.product_category
    ]
    if not covering:
        return "no_certificate", None, [line, f"no certificate covers {product.product_category}"]
    if shown is not None and shown in covering:
        covering = [shown]
    for_model = [certificate for certificate in covering if product.model in certificate.models]
    if not for_model:
        return "product_mismatch", covering[0], [line, *map(certificate_line, covering)]
    if not any(certificate.status == "valid" for certificate in for_model):
        return "certificate_invalid", for_model[0], [line, *map(certificate_line, for_model)]
    return None


def check(
    inspection_id: str,
    credit_code: str,
    record: PatrolRecord,
    certificates: tuple[CertificateFact, ...],
) -> list[Finding]:
    """Every violation and minor finding the record shows, in record order, with stable ids."""
    broken: list[tuple[str, CertificateFact | None, list[str]]] = []
    minor: list[tuple[PatrolArea, str, list[str]]] = []
    for product in record.products_seen:
        outcome = check_product(product, credit_code, certificates)
        if outcome is not None:
            broken.append(outcome)
        elif product.certificate_number is None:
            summary = "certified product shows no certificate number; guided to mark it"
            minor.append(("mark_use", summary, [product_line(product)]))
    for area_check in record.areas:
        if area_check.result != "nonconforming":
            continue
        if area_check.area == "mark_use":
            shown = [product_line(p) for p in record.products_seen if p.certificate_number]
            broken.append(("mark_misused", None, [area_line(area_check), *shown]))
        else:
            summary = f"{AREA_TITLES[area_check.area]} nonconforming; guided to rectify"
            minor.append((area_check.area, summary, [area_line(area_check)]))
    findings: list[Finding] = []
    for number, (rule, certificate, evidence) in enumerate(broken, start=1):
        kind, article = RULES[rule]
        findings.append(
            ViolationFound(
                violation_id=f"{inspection_id}/V{number}",
                enterprise_credit_code=credit_code,
                kind=kind,
                article=article,
                inspection_id=inspection_id,
                certificate_number=certificate.number if certificate else None,
                evidence=[f"rule {rule}", *evidence],
            )
        )
    for number, (area, summary, evidence) in enumerate(minor, start=1):
        findings.append(
            FindingRecorded(
                finding_id=f"{inspection_id}/F{number}",
                enterprise_credit_code=credit_code,
                inspection_id=inspection_id,
                area=area,
                summary=summary,
                evidence=evidence,
            )
        )
    return findings
