"""The registry's reactions table: what its consumers read follows from it."""

from __future__ import annotations

import inspect
import re

from enterprise_registry.application.reactions import REACTIONS, enter_into_dossier
from enterprise_registry.main import Settings, service
from enterprise_registry.projections import dossier


def test_every_outside_event_with_a_dossier_entry_is_read_and_entered() -> None:
    source = inspect.getsource(dossier.outside_entry) + inspect.getsource(dossier.enforcement_entry)
    entered = set(re.findall(r"case (?:ins|enf)\.(\w+)\(\)", source))
    assert {model.__name__ for model in dossier.OUTSIDE_ENTRIES} == entered
    assert all(enter_into_dossier in REACTIONS[model] for model in dossier.OUTSIDE_ENTRIES)


def test_the_consumers_are_filtered_to_exactly_the_handled_types() -> None:
    subjects = service(Settings()).subscribed()
    assert set(subjects) == {"inspection", "enforcement"}
    assert "ccc.inspection.*.*.ViolationFound" in subjects["inspection"]
    assert "ccc.enforcement.*.*.CaseClosed" in subjects["enforcement"]
    assert all(not subject.endswith(">") for listed in subjects.values() for subject in listed)
