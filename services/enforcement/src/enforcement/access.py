"""Who may call each of the enforcement service's routes: its rows of the access rules.

An operation is ``"enforcement:<route function name>"``; the roles are the sets of
``ccc_shared.runtime.access`` (auditors are added to every query there). A route missing here
is refused to everyone; the record (``main.service``) hands these rows to the kernel.
"""

from __future__ import annotations

from ccc_shared.runtime.access import HEADS, MACHINES, OFFICERS, READERS, AccessTable

ACCESS: AccessTable = {
    # enforcement: complaints, cases, measures, penalties, the CNCA report
    "enforcement:receive_new_complaint": OFFICERS | {"inspector"},
    "enforcement:get_complaint": READERS,
    "enforcement:open_manual_case": OFFICERS,
    "enforcement:drop_clue": OFFICERS,
    "enforcement:assign_case": HEADS,
    "enforcement:register_case": OFFICERS,
    "enforcement:start_investigation": OFFICERS,
    "enforcement:notify_party": OFFICERS,
    "enforcement:extend_decision_deadline": HEADS,  # needs the recorded approval of a head
    "enforcement:stop_handling_clock": OFFICERS,
    "enforcement:restart_handling_clock": OFFICERS,
    "enforcement:issue_warning": OFFICERS,
    "enforcement:give_guidance": OFFICERS | {"inspector"},
    "enforcement:order_rectification": OFFICERS,
    "enforcement:verify_rectification": OFFICERS,
    "enforcement:decide_penalty": OFFICERS,
    "enforcement:decide_no_penalty": OFFICERS,
    "enforcement:execute_decision": OFFICERS,
    "enforcement:close_case": OFFICERS,
    "enforcement:refer_case": OFFICERS,
    "enforcement:answer_referral": OFFICERS,
    "enforcement:upload_decision_document": OFFICERS,
    "enforcement:download_decision_document": READERS,
    "enforcement:cnca_report_payload": READERS,
    "enforcement:cnca_report_document": READERS,
    "enforcement:record_cnca_report": OFFICERS | MACHINES,
    "enforcement:get_case": READERS,
    "enforcement:list_cases": READERS,
    "enforcement:case_reconciliation": READERS,
    "enforcement:open_case_for_violation": OFFICERS,  # a violation the reconciliation lists
    "enforcement:enforcement_figures": READERS,
    "enforcement:handling_by_department": READERS,
    "enforcement:case_law": READERS,
    "enforcement:workload_by_assignee": READERS,
    "enforcement:working_calendar": READERS,
    "enforcement:sweep_deadlines": MACHINES,
}
