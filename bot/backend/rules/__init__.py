"""ARE rules as pure functions: SJR, daily allowance, duration, waiting periods,
dégressivité, monthly payment, cumul, deductions, overpayments, and the claim's timeline.

Every figure comes with an explanation (``Step`` facts: a code and the figures used,
said in French by ``bot.backend.wording``) and every number comes from the
effective-dated table of ``parameters``. The rules import nothing of the project
but their own package. See ``docs/are-rules.md`` for the rules.
"""

from .cumul import Cumul, compute_cumul, monthly_ceiling
from .daily_allowance import (
    AllowanceRule,
    DailyAllowance,
    compute_daily_allowance,
    minimum_daily_allowance,
)
from .degressivity import age_condition, reduced_daily_allowance
from .duration import Duration, Eligibility, check_eligibility, max_duration, rights_duration
from .engine import MonthlyAllowance, Rights, compute_rights, daily_net, monthly_allowance
from .explanation import Explanation, Step, step
from .facts import ClaimFacts, Contract, CsgRate, MonthlyWage
from .money import to_cents
from .monthly import (
    DeclarationStatus,
    DeclarationWindow,
    PayableDays,
    PaymentDates,
    declaration_status,
    declaration_window,
    payable_days,
    payment_dates,
    rights_end_date,
)
from .net import DailyDeductions, DailyNet, apportion, daily_deductions
from .overpayment import Instalment, OverpaymentStatus, overpayment_status, seizable_part
from .parameters import (
    PARAMETERS,
    Parameter,
    ParameterNotFound,
    decimal_on,
    history,
    parameter_names,
    parameter_on,
    value_on,
)
from .sjr import ReferencePeriod, ReferenceWage, compute_reference_wage, reference_period
from .timeline import (
    ClaimEvents,
    DeclaredMonth,
    DegressivityStart,
    MonthStatus,
    Sanction,
    Timeline,
    TimelineMonth,
    claim_timeline,
)
from .waiting import Deferrals, compute_deferrals

__all__ = [
    "PARAMETERS",
    "AllowanceRule",
    "ClaimEvents",
    "ClaimFacts",
    "Contract",
    "CsgRate",
    "Cumul",
    "DailyAllowance",
    "DailyDeductions",
    "DailyNet",
    "DeclarationStatus",
    "DeclarationWindow",
    "DeclaredMonth",
    "Deferrals",
    "DegressivityStart",
    "Duration",
    "Eligibility",
    "Explanation",
    "Instalment",
    "MonthStatus",
    "MonthlyAllowance",
    "MonthlyWage",
    "OverpaymentStatus",
    "Parameter",
    "ParameterNotFound",
    "PayableDays",
    "PaymentDates",
    "ReferencePeriod",
    "ReferenceWage",
    "Rights",
    "Sanction",
    "Step",
    "Timeline",
    "TimelineMonth",
    "age_condition",
    "apportion",
    "check_eligibility",
    "claim_timeline",
    "compute_cumul",
    "compute_daily_allowance",
    "compute_deferrals",
    "compute_reference_wage",
    "compute_rights",
    "daily_deductions",
    "daily_net",
    "declaration_status",
    "declaration_window",
    "decimal_on",
    "history",
    "max_duration",
    "minimum_daily_allowance",
    "monthly_allowance",
    "monthly_ceiling",
    "overpayment_status",
    "parameter_names",
    "parameter_on",
    "payable_days",
    "payment_dates",
    "reduced_daily_allowance",
    "reference_period",
    "rights_duration",
    "rights_end_date",
    "seizable_part",
    "step",
    "to_cents",
    "value_on",
]
