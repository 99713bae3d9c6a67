"""What the law says at each step of a case: its basis, its period, and in which statuses the
procedure allows it (``cases.ALLOWED_FROM``, the one table of preconditions).

The console shows this beside each step's form, so a case officer sees the articles, measures,
ranges and deadlines where they act; the penalty step's articles and ranges come from
``penalties.PENALTY_TABLE`` and the periods from ``case_clock`` and ``cases``. Citations marked
(verify) are transcribed from secondary sources, as ``docs/enforcement-law.md`` says.
"""

from __future__ import annotations

from dataclasses import dataclass

from enforcement.domain import case_commands as c
from enforcement.domain.case_clock import (
    DECISION_DAYS,
    EXTENSION_DAYS,
    LIMITATION_YEARS,
    LIMITATION_YEARS_HARM,
)
from enforcement.domain.case_state import REPORT_DAYS
from enforcement.domain.cases import ALLOWED_FROM, REGISTER_DECISION_WORKING_DAYS

PROCEDURE_PROVISIONS = (
    "SAMR administrative penalty procedure provisions (市场监督管理行政处罚程序规定)"
)
PENALTY_LAW = "Administrative Penalty Law 2021 (行政处罚法)"
SEED = "the bureau's CCC supervision plan (seed document)"


@dataclass(frozen=True)
class StepLaw:
    """The basis of one step: the articles, what they require (English and Chinese)."""

    command: type[c.CaseCommand]
    basis: tuple[str, ...]
    rule: str
    rule_zh: str

    def allowed_from(self) -> list[str]:
        """The statuses the procedure allows this step from."""
        return sorted(ALLOWED_FROM[self.command])


# The steps by the path of their HTTP route (POST /cases/{n}/<path>).
STEP_LAW: dict[str, StepLaw] = {
    "assign": StepLaw(
        c.AssignCase,
        (f"{SEED}: task breakdown (任务分解)",),
        "Every task is assigned to a department and a named person, who answers for it.",
        "每项任务落实到科室和具体责任人。",
    ),
    "register": StepLaw(
        c.RegisterCase,
        (f"{PROCEDURE_PROVISIONS} art 18 (verify)", f"{PENALTY_LAW} art 36 para 1"),
        f"Decide on registration within {REGISTER_DECISION_WORKING_DAYS} working days of the clue"
        f" being found; an act not discovered within {LIMITATION_YEARS} years"
        f" ({LIMITATION_YEARS_HARM} where life, health or financial safety were harmed) is not"
        " punished.",
        f"自发现线索之日起{REGISTER_DECISION_WORKING_DAYS}个工作日内决定是否立案；违法行为在"
        f"{LIMITATION_YEARS}年内未被发现的不再给予行政处罚（涉及公民生命健康安全、金融安全且有危害后果的为"
        f"{LIMITATION_YEARS_HARM}年）。",
    ),
    "drop": StepLaw(
        c.DropClue,
        (f"{PROCEDURE_PROVISIONS} art 18 (verify)",),
        f"A clue not registered within {REGISTER_DECISION_WORKING_DAYS} working days is dropped"
        " with its reasons recorded.",
        f"决定不予立案的，在{REGISTER_DECISION_WORKING_DAYS}个工作日内作出并记录理由。",
    ),
    "investigate": StepLaw(
        c.StartInvestigation,
        (f"{PENALTY_LAW} art 54 para 1 (verify)",),
        "The facts are investigated fully, objectively and fairly; evidence is collected.",
        "全面、客观、公正地调查，收集有关证据。",
    ),
    "warning": StepLaw(
        c.IssueWarning,
        (f"{SEED}: warnings to enterprises (告诫制度)",),
        "The enterprise is warned in writing; the warning is entered into its dossier.",
        "对辖区企业进行告诫，并记入企业质量档案。",
    ),
    "guidance": StepLaw(
        c.GiveGuidance,
        (f"{SEED}: supervision with service (监管与服务相结合)",),
        "A minor problem is solved by guidance, and the guidance is recorded too.",
        "轻微问题以指导方式解决，并同样记录在案。",
    ),
    "rectification": StepLaw(
        c.OrderRectification,
        (f"{PENALTY_LAW} art 28 para 1 (verify)", "Order 117 art 55"),
        "The party is ordered to correct by a deadline; a failed verification opens art 55.",
        "责令当事人限期改正；逾期未改正的，方可依第五十五条处罚。",
    ),
    "notify": StepLaw(
        c.NotifyParty,
        (f"{PENALTY_LAW} art 44", f"{PENALTY_LAW} art 63 para 1 (verify)"),
        "Before deciding, tell the party the intended penalty, its facts, reasons and basis, and"
        " its rights to statement, defence and, for large fines, a hearing.",
        "作出决定前，告知当事人拟作出的行政处罚内容及事实、理由、依据，以及陈述、申辩和"
        "（较大数额罚款）要求听证的权利。",
    ),
    "penalty": StepLaw(
        c.DecidePenalty,
        (f"{PROCEDURE_PROVISIONS} art 64 (verify)",),
        f"Decide within {DECISION_DAYS} days of registration; the head may extend by"
        f" {EXTENSION_DAYS} days; suspension, hearing, public notice and testing do not count.",
        f"自立案之日起{DECISION_DAYS}日内作出决定；经负责人批准可延长{EXTENSION_DAYS}日；"
        "中止、听证、公告和检测、检验、检疫、鉴定期间不计入。",
    ),
    "no-penalty": StepLaw(
        c.DecideNoPenalty,
        (f"{PENALTY_LAW} art 33 para 1 (verify)", f"{PENALTY_LAW} art 40 (verify)"),
        "No penalty where the violation is not established, or is minor, corrected in time and"
        " harmless.",
        "违法事实不能成立，或违法行为轻微并及时改正、没有造成危害后果的，不予行政处罚。",
    ),
    "execute": StepLaw(
        c.ExecuteDecision,
        (f"{PENALTY_LAW} art 66 para 1 (verify)", f"{PENALTY_LAW} art 67 para 3 (verify)"),
        "The party carries out the decision within its period; a fine is paid within 15 days"
        " of receiving it.",
        "当事人应当在决定书载明的期限内履行；罚款自收到决定书之日起15日内缴纳。",
    ),
    "close": StepLaw(
        c.CloseCase,
        (f"{PROCEDURE_PROVISIONS} (verify the article)",),
        f"A decided case is closed once carried out; its CNCA report is due within"
        f" {REPORT_DAYS.days} days.",
        f"决定执行完毕后结案；结案后{REPORT_DAYS.days}日内报送认监委。",
    ),
    "cnca-report": StepLaw(
        c.RecordCncaReport,
        (f"{SEED}: reporting upward (认证行政执法信息报送)",),
        f"Within {REPORT_DAYS.days} days of closure, report to the CNCA enforcement information"
        " system: source, case, penalty basis, type, amount, description and the decision.",
        f"行政处罚案件结案后{REPORT_DAYS.days}日内，向认监委认证行政执法信息报送系统报送案件来源、"
        "案件信息、处罚依据、处罚种类、罚款金额、案情描述及电子处罚决定书。",
    ),
}
