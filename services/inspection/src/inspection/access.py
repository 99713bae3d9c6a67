"""Who may call each of the inspection service's routes: its rows of the access rules.

An operation is ``"inspection:<route function name>"``; the roles are the sets of
``ccc_shared.runtime.access`` (auditors are added to every query there). A route missing here
is refused to everyone; the record (``main.service``) hands these rows to the kernel.
"""

from __future__ import annotations

from ccc_shared.runtime.access import HEADS, INSPECTORS, MACHINES, READERS, AccessTable

ACCESS: AccessTable = {
    # inspection: inspections, patrol plan, campaigns, traces
    "inspection:schedule_inspection": INSPECTORS,
    "inspection:assign_inspection": HEADS,
    "inspection:start_inspection": INSPECTORS,
    "inspection:complete_inspection": INSPECTORS,
    "inspection:cancel_inspection": HEADS,
    "inspection:list_inspections": READERS,
    "inspection:get_inspection": READERS,
    "inspection:run_patrol_plan": HEADS | MACHINES,
    "inspection:list_patrol_plan": READERS,
    "inspection:patrol_coverage": READERS,
    "inspection:patrol_history_by_department": READERS,
    "inspection:workload_by_assignee": READERS,
    "inspection:launch_campaign": HEADS,
    "inspection:survey_campaign_enterprise": INSPECTORS,
    "inspection:record_campaign_step": INSPECTORS,
    "inspection:raise_uncertified_producers": HEADS | MACHINES,
    "inspection:list_campaigns": READERS,
    "inspection:get_campaign": READERS,
    "inspection:record_unqualified_product": INSPECTORS,
    "inspection:get_trace": READERS,
}
