"""Bounded text: what a name, an address, a reason or a description may hold, declared once.

Every command, request body and contract event takes its text fields from here, so the four
services agree on what is valid and nothing arriving over HTTP or the bus can grow an event
past what the bus carries. A field's limit fits its meaning (an enterprise name is at most
200 characters, a reason 2,000); every other text field in a command or request body is
held to ``INPUT_TEXT_MAX`` characters and in a contract event to ``EVENT_TEXT_MAX``.

Text is stripped of surrounding whitespace; a required field that is blank after stripping
is refused; control characters are refused (tab, line feed and carriage return only in
free-text fields that may run over several lines), and so are lone surrogates, which no
UTF-8 encoder can write.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

# A text field of a command or request body without a limit of its own (characters).
INPUT_TEXT_MAX = 2000
# A text field of a published event without a limit of its own (characters): the largest
# bounded field below, so every value an input accepted can be published.
EVENT_TEXT_MAX = 10_000

LINE_BREAKS = frozenset("\t\n\r")


class TextError(ValueError):
    """Text that no field of the bureau's records may hold."""


def _refuse_control_characters(text: str, *, multiline: bool) -> str:
    """Return ``text`` when it holds no control characters (line breaks if ``multiline``)."""
    for position, character in enumerate(text):
        category = unicodedata.category(character)
        if category == "Cs":
            raise TextError(f"an unpaired surrogate U+{ord(character):04X} at position {position}")
        if category == "Cc" and not (multiline and character in LINE_BREAKS):
            what = "a line break or tab" if character in LINE_BREAKS else "a control character"
            raise TextError(
                f"{what} (U+{ord(character):04X}) at position {position} is not allowed here"
            )
    return text


def single_line(text: str) -> str:
    """Refuse control characters, tabs and line breaks included."""
    return _refuse_control_characters(text, multiline=False)


def multi_line(text: str) -> str:
    """Refuse control characters other than tab, line feed and carriage return."""
    return _refuse_control_characters(text, multiline=True)


# The limits, in characters, by what a field means; one table for inputs and events.
IDENTIFIER_MAX = 64  # certificate, case and document numbers, catalogue codes, people's ids
# an id made of others: a violation `<inspection id>/V<n>` or `<campaign id>/<credit code>`
COMPOSITE_ID_MAX = 128
PERSON_NAME_MAX = 50  # a legal representative, an official, an informant
ORGANISATION_NAME_MAX = 200  # an enterprise, manufacturer, factory, certification body, bureau
ADDRESS_MAX = 300
REGION_MAX = 100
CONTACT_MAX = 200  # telephone numbers, an e-mail address, a contact person
PRODUCT_MAX = 200  # a product model or a product's name
LABEL_MAX = 200  # a short label or title: a campaign, a checklist item, a department
DOCUMENT_NUMBER_MAX = 64  # an official document's number (市监罚〔2026〕12号)
REASON_MAX = 2000  # why something was done: a suspension, a warning, a refusal
DESCRIPTION_MAX = 10_000  # a free account of facts: a complaint, a finding, a case
URL_MAX = 2048

Identifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=IDENTIFIER_MAX),
    AfterValidator(single_line),
]
CompositeIdentifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=COMPOSITE_ID_MAX),
    AfterValidator(single_line),
]
PersonName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=PERSON_NAME_MAX),
    AfterValidator(single_line),
]
OrganisationName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=ORGANISATION_NAME_MAX),
    AfterValidator(single_line),
]
Address = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=ADDRESS_MAX),
    AfterValidator(single_line),
]
Region = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=REGION_MAX),
    AfterValidator(single_line),
]
Contact = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=CONTACT_MAX),
    AfterValidator(single_line),
]
OptionalContact = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=0, max_length=CONTACT_MAX),
    AfterValidator(single_line),
]
# "Optional": may be left blank (not yet known: the dossier coverage lists it as missing)
OptionalAddress = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=0, max_length=ADDRESS_MAX),
    AfterValidator(single_line),
]
OptionalRegion = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=0, max_length=REGION_MAX),
    AfterValidator(single_line),
]
OptionalPersonName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=0, max_length=PERSON_NAME_MAX),
    AfterValidator(single_line),
]
ProductModel = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=PRODUCT_MAX),
    AfterValidator(single_line),
]
Label = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=LABEL_MAX),
    AfterValidator(single_line),
]
DocumentNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=DOCUMENT_NUMBER_MAX),
    AfterValidator(single_line),
]
Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=REASON_MAX),
    AfterValidator(multi_line),
]
OptionalReason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=0, max_length=REASON_MAX),
    AfterValidator(multi_line),
]
Description = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=DESCRIPTION_MAX),
    AfterValidator(multi_line),
]
OptionalDescription = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=0, max_length=DESCRIPTION_MAX),
    AfterValidator(multi_line),
]
Url = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=URL_MAX),
    AfterValidator(single_line),
]

# List bounds where a list is part of the record (models of a certificate, defects found).
MAX_LIST_ITEMS = 1000


def _check_nested(value: Any) -> None:
    if isinstance(value, str):
        multi_line(value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _check_nested(key)
            _check_nested(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _check_nested(item)
    elif isinstance(value, BaseModel):  # a record carried inside a command (a patrol record)
        for item in value.__dict__.values():
            _check_nested(item)


class InputModel(BaseModel):
    """A command or request body: text stripped, bounded and free of control characters."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, str_max_length=INPUT_TEXT_MAX
    )

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        """Refuse control characters in every text a command carries, however nested."""
        _check_nested(value)
        return value


def bounded_list(max_items: int = MAX_LIST_ITEMS) -> Any:
    """A pydantic ``Field`` bounding a list to ``max_items`` entries."""
    return Field(default_factory=list, max_length=max_items)
