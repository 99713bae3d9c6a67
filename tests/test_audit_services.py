"""ccc-audit finds every service's store and aggregates through the service's own wiring."""

from __future__ import annotations

from datetime import date

import pytest

from ccc_audit.rebuild import events_to_replay, rebuild
from ccc_audit.services import (
    SERVICES,
    UnknownServiceError,
    access_table,
    open_service,
    records,
    service_key,
)
from ccc_audit.state import state_as_of
from ccc_audit.verify import verify_chains
from ccc_contracts import PUBLISHERS
from ccc_contracts.envelope import Actor, EventMetadata, StreamId
from ccc_contracts.registry import EnterpriseRegistered

pytestmark = pytest.mark.integration


def test_services_answer_to_their_name_package_or_context() -> None:
    assert service_key("registry") == "enterprise-registry"
    assert service_key("enterprise_registry") == "enterprise-registry"
    assert service_key("inspection") == "inspection"
    with pytest.raises(UnknownServiceError, match="known: enterprise-registry"):
        service_key("billing")


@pytest.mark.parametrize("name", list(SERVICES))
def test_every_service_opens_migrates_rebuilds_and_verifies_when_empty(
    name: str, database_url: str
) -> None:
    service = open_service(name, database_url)
    try:
        assert service.stream == f"CCC_{service.context.upper()}"
        rebuilt = rebuild(service)
        assert rebuilt.events == 0
        assert events_to_replay(service) == 0
        assert verify_chains(service).ok
    finally:
        service.close()


def test_registry_aggregates_are_found_and_replayed_as_of(database_url: str) -> None:
    service = open_service("enterprise-registry", database_url)
    try:
        assert [a.name for a in service.aggregates][:3] == [
            "enterprise",
            "certificate",
            "certification_body",
        ]
        service.migrate()
        code = "91330100MA00050076"
        registered = EnterpriseRegistered(
            credit_code=code, name="浙江消防器材有限公司", address="杭州市", region="西湖区",
            scale="small", legal_representative="张伟", contact="0571-88000000",
            in_jurisdiction=True, registered_on=date(2026, 11, 27),
        )  # fmt: skip
        metadata = EventMetadata(actor=Actor(id="registrar-7", role="admin"))
        service.store.append(StreamId("enterprise", code), [registered], 0, metadata)
        answer = state_as_of(service, "enterprise", code, None)
        assert answer.version == 1
        assert answer.as_json()["state"]["name"] == "浙江消防器材有限公司"
        before = state_as_of(service, "enterprise", code, metadata.occurred_at.replace(year=2000))
        assert (before.version, before.state) == (0, None)
        report = rebuild(service)
        assert (report.events, report.streams) == (1, {"enterprise": 1})
    finally:
        service.close()


def test_aggregates_built_from_settings_come_from_the_service_record(database_url: str) -> None:
    service = open_service("enforcement", database_url)
    try:
        assert {a.name for a in service.aggregates} == {"case", "complaint", "guidance"}
    finally:
        service.close()


def test_every_service_declares_some_aggregate(database_url: str) -> None:
    for name in SERVICES:
        service = open_service(name, database_url)
        try:
            assert service.aggregates, f"{name}: no Aggregate found for rebuild and state"
        finally:
            service.close()


def test_each_record_declares_what_it_publishes_and_who_may_call_it() -> None:
    """The AsyncAPI document and the console's access rows come from the services' records."""
    declared = {record.context: record for record in records()}
    assert sorted(declared) == sorted(PUBLISHERS)
    for context, record in declared.items():
        assert record.published is PUBLISHERS[context]
        assert record.access, context
        assert all(operation.startswith(f"{context}:") for operation in record.access)
    table = access_table()
    assert table["registry:suspend"] == declared["registry"].access["registry:suspend"]
    assert "audit:audit_timeline" in table
