"""ARE rules as pure functions: SJR, daily allowance, duration, waiting periods,
dégressivité, monthly payment, cumul, deductions and overpayments.

Every figure comes with an explanation (``Step`` tuples in plain French) and every
number comes from the effective-dated table of ``parameters``. ``engine`` is the
entry point of the HTTP API. See ``docs/are-rules.md`` for the rules.
"""

from .cumul import Cumul, compute_cumul, monthly_ceiling
from .daily_allowance import (
    AllowanceRule,
    DailyAllowance,
    compute_daily_allowance,
    minimum_daily_allowance,
)
from .degressivity import Degressivity, compute_degressivity, reduced_daily_allowance
from .duration import Duration, Eligibility, check_eligibility, max_duration, rights_duration
from .engine import (
    MonthlyAllowance,
    PaymentSchedule,
    Rights,
    compute_rights,
    daily_net,
    monthly_allowance,
    payment_schedule,
)
from .explanation import Explanation, Step, as_text
from .facts import ClaimFacts, Contract, CsgRate, MonthlyWage
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
from .net import DailyDeductions, DailyNet, daily_deductions
from .overpayment import Instalment, RecoverySchedule, overpayment_recovery, seizable_part
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
from .waiting import Deferrals, compute_deferrals

__all__ = [
    "PARAMETERS",
    "AllowanceRule",
    "ClaimFacts",
    "Contract",
    "CsgRate",
    "Cumul",
    "DailyAllowance",
    "DailyDeductions",
    "DailyNet",
    "DeclarationStatus",
    "DeclarationWindow",
    "Deferrals",
    "Degressivity",
    "Duration",
    "Eligibility",
    "Explanation",
    "Instalment",
    "MonthlyAllowance",
    "MonthlyWage",
    "Parameter",
    "ParameterNotFound",
    "PayableDays",
    "PaymentDates",
    "PaymentSchedule",
    "RecoverySchedule",
    "ReferencePeriod",
    "ReferenceWage",
    "Rights",
    "Step",
    "as_text",
    "check_eligibility",
    "compute_cumul",
    "compute_daily_allowance",
    "compute_deferrals",
    "compute_degressivity",
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
    "overpayment_recovery",
    "parameter_names",
    "parameter_on",
    "payable_days",
    "payment_dates",
    "payment_schedule",
    "reduced_daily_allowance",
    "reference_period",
    "rights_duration",
    "rights_end_date",
    "seizable_part",
    "value_on",
]
