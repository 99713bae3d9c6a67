"""The console's own little logic, without I/O: which work is due, which step comes next,
which message a refusal gets, where a redirect may go."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from console.backend import refusal_of
from console.messages import CATALOGUE, refusal_key, translate
from console.pages.cases import steps_now
from console.pages.work import sort_cases, sort_inspections
from console.web import Person, local_path

pytestmark = pytest.mark.unit
TODAY = "2026-12-02"


def person(*roles: str) -> Person:
    return Person("officer-3", "李强", "稽查科", roles, "token", 0.0)


# Each step's ``allowed_from`` as the enforcement service's ``GET /cases/{n}/law`` answers it
# (written out: the console knows the service only over HTTP).
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "assign": ("clue", "decided", "executed", "investigating", "notified", "referred",
               "registered"),
    "register": ("clue",),
    "drop": ("clue",),
    "investigate": ("registered",),
    "warning": ("investigating", "notified", "registered"),
    "guidance": ("investigating", "notified", "registered"),
    "rectification": ("decided", "investigating", "notified", "registered"),
    "notify": ("investigating",),
    "penalty": ("decided", "notified"),
    "no-penalty": ("investigating", "notified"),
    "execute": ("decided",),
    "close": ("decided", "executed"),
    "cnca-report": ("closed",),
}  # fmt: skip


def law(status: str) -> dict[str, Any]:
    """What the enforcement service's law endpoint says is allowed in ``status``."""
    return {"steps": {path: {"allowed_now": status in allowed}
                      for path, allowed in ALLOWED_FROM.items()}}  # fmt: skip


def case(status: str, **fields: Any) -> dict[str, Any]:
    base = {"case_number": "CCC-2026-00001", "status": status, "officer": "officer-3",
            "next_due_on": None, "report_due_on": None, "reported_on": None,
            "overdue": False, "report_overdue": False}  # fmt: skip
    return {**base, **fields}


def test_cases_sort_into_overdue_due_today_and_waiting_and_finished_ones_drop_out() -> None:
    rows = [
        case("registered", case_number="A", next_due_on="2026-12-09"),
        case("investigating", case_number="B", next_due_on=TODAY),
        case("notified", case_number="C", next_due_on="2026-11-30", overdue=True),
        case("closed", case_number="D", report_due_on="2026-12-20"),
        case("closed", case_number="E", report_due_on="2026-12-20", reported_on=TODAY),
        case("dropped", case_number="F"),
    ]
    work = sort_cases(rows, TODAY)
    assert [r["case_number"] for r in work.overdue] == ["C"]
    assert [r["case_number"] for r in work.due_today] == ["B"]
    assert [r["case_number"] for r in work.waiting] == ["A", "D"]


def test_only_open_inspections_are_work() -> None:
    rows = [
        {"inspection_id": "x", "status": "completed", "due_on": TODAY, "overdue": False},
        {"inspection_id": "y", "status": "assigned", "due_on": TODAY, "overdue": False},
        {"inspection_id": "z", "status": "started", "due_on": "2026-11-01", "overdue": True},
    ]
    work = sort_inspections(rows, TODAY)
    assert [r["inspection_id"] for r in work.overdue] == ["z"]
    assert [r["inspection_id"] for r in work.due_today] == ["y"]
    assert work.waiting == []


@pytest.mark.parametrize(
    ("status", "officer", "next_step"),
    [
        ("clue", None, None),  # a case officer may not assign: the head does
        ("clue", "officer-3", "register"),
        ("registered", "officer-3", "investigate"),
        ("investigating", "officer-3", "notify"),
        ("notified", "officer-3", "penalty"),
        ("decided", "officer-3", "execute"),
        ("executed", "officer-3", "close"),
        ("closed", "officer-3", "cnca_report"),
    ],
)
def test_the_case_officers_next_step_follows_the_procedure(
    status: str, officer: str | None, next_step: str | None
) -> None:
    first, _others = steps_now(case(status, officer=officer), person("case_officer"), law(status))
    assert (first.name if first else None) == next_step


def test_a_section_head_assigns_an_unassigned_clue_and_an_inspector_may_do_nothing() -> None:
    first, _ = steps_now(case("clue", officer=None), person("section_head"), law("clue"))
    assert first is not None
    assert first.name == "assign"
    assert steps_now(case("clue", officer=None), person("inspector"), law("clue")) == (None, [])


def test_a_reported_case_has_nothing_left_to_do() -> None:
    reported = case("closed", reported_on=TODAY)
    assert steps_now(reported, person("case_officer"), law("closed")) == (None, [])


@pytest.mark.parametrize(
    ("status", "reason", "key"),
    [
        (409, "certificate.renewal_window_not_open", "problem.certificate.renewal_window_not_open"),
        (409, "certificate.no_such_rule_yet", "refusal.409"),
        (403, "forbidden", "refusal.403.forbidden"),
        (409, "concurrency", "refusal.409.concurrency"),
        (409, "illegal_transition", "refusal.409.illegal_transition"),
        (409, "", "refusal.409"),
        (418, "", "refusal.other"),
    ],
)
def test_a_refusal_gets_the_most_specific_message_the_catalogue_has(
    status: int, reason: str, key: str
) -> None:
    assert refusal_key(status, reason) == key


def test_a_problem_details_refusal_is_said_by_its_code() -> None:
    body = {
        "type": "urn:ccc:problem:case.rectification_pending",
        "title": "Conflict",
        "status": 409,
        "detail": "case CCC-2026-00001: a rectification order is still awaiting verification",
        "code": "case.rectification_pending",
        "fields": [],
        "kind": "illegal_transition",
    }
    answer = httpx.Response(409, json=body, headers={"content-type": "application/problem+json"})
    refused = refusal_of("enforcement", answer)
    assert (refused.reason, refused.detail) == ("case.rectification_pending", body["detail"])
    key = refusal_key(refused.status, refused.reason)
    assert translate(key, "zh") == "责令整改尚待复查。"
    assert translate(key, "en") == "A rectification order still awaits verification."


def test_a_validation_problem_names_the_fields() -> None:
    body = {
        "type": "urn:ccc:problem:request.invalid",
        "title": "Unprocessable Content",
        "status": 422,
        "detail": [{"loc": ["body", "deadline"], "msg": "Input should be a valid date"}],
        "code": "request.invalid",
        "fields": ["deadline"],
    }
    refused = refusal_of("enforcement", httpx.Response(422, json=body))
    assert (refused.reason, refused.fields) == ("request.invalid", ["deadline"])
    assert translate(refusal_key(422, refused.reason), "zh") == "填写的内容不符合要求。"


def test_every_message_has_both_languages() -> None:
    assert [key for key, (zh, en) in CATALOGUE.items() if not zh or not en] == []
    assert translate("refusal.403", "zh") == "您的角色无权办理此事项。"
    assert translate("refusal.403", "en") == "Your role may not do this."


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/cases/CCC-2026-00001", "/cases/CCC-2026-00001"), ("//evil.example/x", "/"),
     ("https://evil.example/", "/"), ("cases", "/"), ("", "/")],
)  # fmt: skip
def test_a_redirect_after_sign_in_stays_on_the_site(target: str, expected: str) -> None:
    assert local_path(target) == expected
