"""The unified social credit code (统一社会信用代码, GB 32100-2015), checked before use.

Every enterprise, certificate holder and case subject is keyed by this code, so a mistyped one
would split an enterprise's dossier in two. The 18 characters are:

| position | meaning | checked here |
| --- | --- | --- |
| 1 | registration authority (登记管理部门) | one of ``REGISTRATION_AUTHORITIES`` |
| 2 | organisation type within that authority | one of the authority's types |
| 3-8 | administrative division code (GB/T 2260) | six digits, a province-level prefix |
| 9-17 | organisation code body (GB 11714) | in the code character set |
| 18 | check character | ``check_character(code[:17])`` |

The character set is 0-9 and A-Z without I, O, Z, S and V (31 characters, each worth its
index). The check character is ``31 - (sum of value * 3^(i-1) mod 31 over i = 1..17) mod 31``,
where a result of 31 becomes 0.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {character: value for value, character in enumerate(CHARACTERS)}
WEIGHTS = tuple(pow(3, position, 31) for position in range(17))

# GB 32100-2015 table A.1 names 1 (机构编制), 5 (民政), 9 (工商, now market regulation) and
# Y (other); the national code administration has since assigned 2-8, A and N. Type 9 is the
# only one a CCC manufacturer normally has: 91 enterprise, 92 sole trader, 93 farmers' co-op.
REGISTRATION_AUTHORITIES: dict[str, str] = {
    "1": "1239",
    "2": "19",
    "3": "1234569",
    "4": "19",
    "5": "1239",
    "6": "129",
    "7": "129",
    "8": "19",
    "9": "123",
    "A": "19",
    "N": "1239",
    "Y": "1",
}

# Province-level prefixes of GB/T 2260, plus 10 for codes registered at national level.
PROVINCES = frozenset(
    "10 11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46"  # noqa: SIM905
    " 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


class CreditCodeError(ValueError):
    """A unified social credit code that GB 32100-2015 does not allow."""


def check_character(body: str) -> str:
    """The check character (position 18) for the first 17 characters of a credit code."""
    if len(body) != 17:
        raise CreditCodeError(f"a credit code body has 17 characters, not {len(body)}")
    unknown = sorted({character for character in body if character not in VALUES})
    if unknown:
        raise CreditCodeError(f"characters {unknown} are not in the credit code set {CHARACTERS}")
    total = sum(VALUES[character] * weight for character, weight in zip(body, WEIGHTS, strict=True))
    return CHARACTERS[(31 - total % 31) % 31]


def validate_credit_code(code: str) -> str:
    """Return the code if it is a well-formed credit code, else raise saying what is wrong."""
    if len(code) != 18:
        raise CreditCodeError(f"a credit code has 18 characters, not {len(code)}")
    if code != code.upper():
        raise CreditCodeError("a credit code is written in upper case")
    authority, kind, division = code[0], code[1], code[2:8]
    if authority not in REGISTRATION_AUTHORITIES:
        raise CreditCodeError(f"registration authority code {authority!r} (position 1) is unknown")
    if kind not in REGISTRATION_AUTHORITIES[authority]:
        raise CreditCodeError(
            f"organisation type {kind!r} (position 2) does not exist for registration"
            f" authority {authority!r}"
        )
    if not (division.isascii() and division.isdigit()) or division[:2] not in PROVINCES:
        raise CreditCodeError(
            f"administrative division {division!r} (positions 3-8) is not a division code"
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError(f"check character should be {expected!r}, not {code[17]!r}")
    return code


CREDIT_CODE_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{18}$"

CreditCode = Annotated[
    str,
    # the pattern is documented in the JSON schema; the check itself says what is wrong
    Field(json_schema_extra={"minLength": 18, "maxLength": 18, "pattern": CREDIT_CODE_PATTERN}),
    AfterValidator(validate_credit_code),
]
"""A pydantic field type: a unified social credit code that passed ``validate_credit_code``."""
