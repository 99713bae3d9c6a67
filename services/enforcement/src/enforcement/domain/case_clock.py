"""The handling clock of a case: registration within the limitation period, the 90 days to a
decision, the time that does not count, and the extensions.

Sources (to be checked against the official texts; see ``docs/enforcement-law.md``):
- Administrative Penalty Law 2021 art 36 para 1: an act not discovered within two years is not
  punished; five years where citizens' life and health or financial safety are involved and
  harm resulted. The period runs from the day the act occurred, or ended if continuing.
- SAMR administrative penalty procedure provisions (市场监督管理行政处罚程序规定) art 64:
  para 1, a case is decided within 90 days of registration (立案); the head may extend it by
  30 days; a case still undecided is extended further only by the heads' collective decision
  (集体讨论决定), which sets the new period; para 2, suspension (中止), hearing (听证),
  public notice (公告) and testing, inspection, quarantine, appraisal (检测、检验、检疫、鉴定)
  do not count.
- The same provisions' rule on periods (期间): the first day is not counted; a period whose
  last day is a day off ends on the first working day after it.
"""

from __future__ import annotations

from datetime import date, timedelta

from ccc_contracts.enforcement import HandlingClockRestarted, HandlingClockStopped
from enforcement.domain import case_commands, case_events
from enforcement.domain.calendar import WorkingCalendar
from enforcement.domain.case_closure import refusal
from enforcement.domain.case_state import Case

DECISION_DAYS = 90
EXTENSION_DAYS = 30
LIMITATION_YEARS = 2
LIMITATION_YEARS_HARM = 5


def period_end(calendar: WorkingCalendar, last_day: date) -> date:
    """The day a period whose last counted day is ``last_day`` ends: the next working day if
    that day is a day off (the rule on periods)."""
    return calendar.working_day_from(last_day)


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February (Civil Code art 202)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def limitation_ends_on(violation_on: date, harm: bool) -> date:
    """The last day the act can still be discovered (APL 2021 art 36 para 1)."""
    return years_after(violation_on, LIMITATION_YEARS_HARM if harm else LIMITATION_YEARS)


def registered(
    state: Case, command: case_commands.RegisterCase, today: date, calendar: WorkingCalendar
) -> case_events.CaseRegistered:
    """Registration (立案) of an assigned clue found within the limitation period."""
    number = state.case_number
    if state.officer is None:
        raise refusal(
            number,
            "is assigned to no officer; assign it before registering",
            code="case.not_assigned",
        )
    violation_on = command.violation_on
    if violation_on is not None:
        if violation_on > state.found_on:
            raise refusal(
                number,
                f"the act on {violation_on} is after the clue was found ({state.found_on})",
                code="case.act_after_clue_found",
                fields=["violation_on"],
            )
        harm = command.harm_to_life_health_or_finance
        last = limitation_ends_on(violation_on, harm)
        if state.found_on > last:
            years = LIMITATION_YEARS_HARM if harm else LIMITATION_YEARS
            raise refusal(
                number,
                f"past the limitation period: the act on {violation_on} was found on"
                f" {state.found_on}, more than {years} years later (last day {last});"
                " not punished (Administrative Penalty Law 2021 art 36 para 1)",
                code="case.limitation_period_passed",
                fields=["violation_on"],
            )
    raw = today + timedelta(days=DECISION_DAYS)
    return case_events.CaseRegistered(
        case_number=number,
        subject_credit_code=state.subject_credit_code,
        registered_on=today,
        decision_due_on=period_end(calendar, raw),
        period_ends_on=raw,
        violation_on=violation_on,
        harm_to_life_health_or_finance=command.harm_to_life_health_or_finance,
    )


def _day(command_day: date | None, today: date, number: str, what: str) -> date:
    day = command_day or today
    if day > today:
        raise refusal(
            number,
            f"the clock cannot be {what} on {day}, after today ({today})",
            code="case.clock_day_in_future",
            fields=["on"],
        )
    return day


def clock_stopped(
    state: Case, command: case_commands.StopHandlingClock, today: date
) -> HandlingClockStopped:
    """The handling period stops for a hearing, a test, a public notice or a suspension."""
    number = state.case_number
    if state.clock_stopped is not None:
        reason, since = state.clock_stopped
        raise refusal(
            number,
            f"the handling clock is already stopped for {reason} since {since}",
            code="case.clock_already_stopped",
        )
    day = _day(command.on, today, number, "stopped")
    if state.registered_on is None or day < state.registered_on:
        raise refusal(
            number,
            f"the clock runs from registration ({state.registered_on})",
            code="case.clock_before_registration",
            fields=["on"],
        )
    return HandlingClockStopped(
        case_number=number,
        subject_credit_code=state.subject_credit_code,
        reason=command.reason,
        stopped_on=day,
        remarks=command.remarks,
    )


def clock_restarted(
    state: Case, command: case_commands.RestartHandlingClock, today: date, calendar: WorkingCalendar
) -> HandlingClockRestarted:
    """The period runs again; the days it stood still are added to the decision deadline."""
    number = state.case_number
    if state.clock_stopped is None or state.decision_period_ends_on is None:
        raise refusal(
            number,
            "the handling clock is running; there is nothing to restart",
            code="case.clock_running",
        )
    reason, since = state.clock_stopped
    day = _day(command.on, today, number, "restarted")
    if day < since:
        raise refusal(
            number,
            f"the clock stopped on {since}; it cannot restart on {day}",
            code="case.clock_restart_before_stop",
            fields=["on"],
        )
    days = (day - since).days
    raw = state.decision_period_ends_on + timedelta(days=days)
    return HandlingClockRestarted(
        case_number=number,
        subject_credit_code=state.subject_credit_code,
        reason=reason,
        stopped_on=since,
        restarted_on=day,
        days_not_counted=days,
        decision_due_on=period_end(calendar, raw),
        remarks=command.remarks,
    )


def extended(
    state: Case,
    command: case_commands.ExtendDecisionDeadline,
    today: date,
    calendar: WorkingCalendar,
) -> case_events.DecisionDeadlineExtended:
    """The head's one extension by 30 days; after it, only a collective decision's new period."""
    number = state.case_number
    if state.decision_period_ends_on is None:
        raise refusal(
            number, "has no decision deadline to extend", code="case.no_decision_deadline"
        )
    if not command.collective:
        if command.decision_due_on is not None:
            raise refusal(
                number,
                "the head's extension is 30 days; only a collective decision sets its own period",
                code="case.extension_period_fixed",
                fields=["decision_due_on"],
            )
        if state.extensions:
            raise refusal(
                number,
                "the head extends the decision deadline only once (30 days); a further"
                " extension needs the heads' collective decision with the new period",
                code="case.extension_needs_collective_decision",
                fields=["collective"],
            )
        raw = state.decision_period_ends_on + timedelta(days=EXTENSION_DAYS)
    else:
        if not state.extensions:
            raise refusal(
                number,
                "a collective decision extends only after the head's 30-day extension",
                code="case.collective_extension_too_early",
                fields=["collective"],
            )
        current = max(today, state.decision_due_on or today)
        if command.decision_due_on is None or command.decision_due_on <= current:
            raise refusal(
                number,
                f"a collective decision sets the new period: a last day after {current}",
                code="case.collective_extension_needs_period",
                fields=["decision_due_on"],
            )
        raw = command.decision_due_on
    return case_events.DecisionDeadlineExtended(
        case_number=number,
        subject_credit_code=state.subject_credit_code,
        approved_by=command.approved_by,
        approval_reference=command.approval_reference,
        extended_on=today,
        decision_due_on=period_end(calendar, raw),
        period_ends_on=raw,
        collective=command.collective,
    )
