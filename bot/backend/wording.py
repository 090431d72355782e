"""The backend's French: every explanation step and every payment reason, in one place.

The rules return facts (``Step(code, facts)``) and the services return reason codes;
this module says them as a counsellor would, addressing the person with "vous":
short sentences, amounts as ``1 234,56 €``, dates as ``lundi 3 mars 2025``. The
actions read these sentences out as they are (``explanation`` in the JSON).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from bot.backend.rules import Step
from bot.common.formatting import (
    format_date_fr,
    format_eur,
    format_month_fr,
    format_number,
    format_of_month_fr,
    format_percent,
)

Facts = Mapping[str, Any]
Words = tuple[str, str]  # label, detail
_SAYINGS: dict[str, Callable[[Facts], Words]] = {}


def _registered(table: dict[str, Callable[[Facts], Any]], code: str) -> Callable[[Callable[[Facts], Any]], Any]:
    """A decorator putting the function in ``table`` under ``code`` (once)."""

    def register(function: Callable[[Facts], Any]) -> Callable[[Facts], Any]:
        if code in table:
            raise ValueError(f"two sayings for {code!r}")
        table[code] = function
        return function

    return register


def _says(code: str) -> Callable[[Callable[[Facts], Words]], Callable[[Facts], Words]]:
    return _registered(_SAYINGS, code)


def eur(amount: Decimal) -> str:
    return format_eur(amount)


def day(value: date) -> str:
    return format_date_fr(value)


def pct(rate: Decimal) -> str:
    return format_percent(rate)


def num(value: Decimal | int) -> str:
    return format_number(value)


def days_fr(count: int) -> str:
    """``1 jour``, ``2 jours``, ``0 jour`` (French singular below 2)."""
    return f"{format_number(count)} jour" + ("s" if abs(count) >= 2 else "")


def month_title(value: date) -> str:
    name = format_month_fr(value)
    return name[:1].upper() + name[1:]


def words(step: Step) -> Words:
    """The label and the sentence of one explanation step."""
    try:
        saying = _SAYINGS[step.code]
    except KeyError:
        raise ValueError(f"no French for the step {step.code!r}") from None
    return saying(step.facts)


def label(step: Step) -> str:
    return words(step)[0]


def detail(step: Step) -> str:
    return words(step)[1]


def explanation(steps: Iterable[Step]) -> list[dict[str, str]]:
    """The steps as the API returns them: ``[{"label": …, "detail": …}]``."""
    return [dict(zip(("label", "detail"), words(s), strict=True)) for s in steps]


def as_text(steps: Iterable[Step]) -> str:
    """The explanation as lines ``label : detail``, for logs and the shell."""
    return "\n".join(f"{lab} : {det}" for lab, det in map(words, steps))


# §1 — Salaire journalier de référence


@_says("reference_period")
def _reference_period(f: Facts) -> Words:
    text = (
        f"Nous prenons en compte les {f['months']} mois qui précèdent la fin de votre dernier contrat : "
        f"du {day(f['start'])} au {day(f['end'])}."
    )
    if f["senior_age"] is not None:
        text += f" La période est de {f['months']} mois car vous aviez {f['senior_age']} ans ou plus."
    return "Période de référence", text


@_says("counted_days")
def _counted_days(f: Facts) -> Words:
    text = (
        f"{days_fr(f['contract_days'])} sous contrat et {days_fr(f['non_worked_days'])} sans contrat "
        f"entre le {day(f['first_day'])} et le {day(f['last_day'])}."
    )
    if f["cap"] is not None:
        text += (
            f" Les jours sans contrat sont retenus dans la limite de {pct(f['cap_rate'])} des "
            f"jours sous contrat, soit {days_fr(f['cap'])}."
        )
    return "Jours retenus", text + f" Total retenu : {days_fr(f['divisor'])}."


@_says("counted_wages")
def _counted_wages(f: Facts) -> Words:
    text = (
        f"{eur(f['wages'])} de salaires bruts retenus (sans les indemnités de rupture ni "
        "l'indemnité compensatrice de congés payés)."
    )
    if f["capped_months"]:
        months = ", ".join(format_month_fr(m) for m in f["capped_months"])
        text += (
            f" Les salaires de {months} sont limités à {num(f['pmss_multiple'])} fois le plafond "
            "mensuel de la sécurité sociale."
        )
    return "Salaires retenus", text


@_says("reference_wage")
def _reference_wage(f: Facts) -> Words:
    if not f["divisor"]:
        return (
            "Salaire journalier de référence",
            "Aucun jour sous contrat dans la période : pas de salaire de référence.",
        )
    return (
        "Salaire journalier de référence",
        f"{eur(f['wages'])} de salaires / {days_fr(f['divisor'])} = {eur(f['amount'])}",
    )


# §2 — Allocation journalière


@_says("daily_allowance_formula")
def _daily_allowance_formula(f: Facts) -> Words:
    fixed = eur(f["fixed_part"])
    if f["working_time_ratio"] != 1:
        fixed += f" (partie fixe réduite à {pct(f['working_time_ratio'])} pour temps partiel)"
    best = max(f["variable"], f["alternative"])
    return (
        "Calcul de l'allocation journalière",
        f"{pct(f['variable_rate'])} × {eur(f['reference_wage'])} + {fixed} = {eur(f['variable'])} ; "
        f"{pct(f['alternative_rate'])} × {eur(f['reference_wage'])} = {eur(f['alternative'])}. "
        f"Le montant le plus élevé est retenu : {eur(best)}.",
    )


@_says("daily_allowance_minimum")
def _daily_allowance_minimum(f: Facts) -> Words:
    which = "minimum en formation (AREF)" if f["in_training"] else "minimum"
    return "Allocation minimale", f"Ce montant est relevé au {which} de {eur(f['minimum'])} par jour."


@_says("daily_allowance_cap")
def _daily_allowance_cap(f: Facts) -> Words:
    rate = pct(f["cap_rate"])
    return (
        "Plafond",
        f"L'allocation ne peut pas dépasser {rate} de votre salaire journalier de référence : "
        f"{rate} × {eur(f['reference_wage'])} = {eur(f['cap'])}.",
    )


@_says("daily_allowance")
def _daily_allowance(f: Facts) -> Words:
    return (
        "Allocation journalière brute",
        f"{eur(f['amount'])} par jour, selon le barème en vigueur depuis le {day(f['scale_from'])}.",
    )


# §3 — Conditions et durée


def _worked(f: Facts) -> str:
    return f"Vous avez travaillé {days_fr(f['worked_days'])}" + (f" ({num(f['hours'])} heures)" if f["hours"] else "")


@_says("eligibility")
def _eligibility(f: Facts) -> Words:
    who = "pour un travailleur saisonnier, " if f["seasonal_worker"] else ""
    return (
        "Conditions remplies",
        _worked(f) + f" dans la période de référence ; il en faut au moins {num(f['required_days'])} "
        f"{who}ou {num(f['required_hours'])} heures.",
    )


@_says("not_eligible")
def _not_eligible(f: Facts) -> Words:
    who = "pour un travailleur saisonnier, " if f["seasonal_worker"] else ""
    return (
        "Conditions non remplies",
        _worked(f) + f" dans la période de référence ; il faut {who}au moins {num(f['required_days'])} "
        f"jours ou {num(f['required_hours'])} heures pour ouvrir un droit.",
    )


@_says("no_rights")
def _no_rights(_f: Facts) -> Words:
    return "Pas de droit ouvert", "Vous n'avez pas de droit ouvert."


@_says("duration_computed")
def _duration_computed(f: Facts) -> Words:
    return (
        "Durée calculée",
        f"{days_fr(f['divisor_days'])} retenus × {num(f['coefficient'])} = {days_fr(f['computed'])} "
        "(arrondi au jour supérieur).",
    )


@_says("duration_minimum")
def _duration_minimum(f: Facts) -> Words:
    return "Durée minimale", f"La durée ne peut pas être inférieure à {days_fr(f['minimum'])}."


@_says("duration_maximum")
def _duration_maximum(f: Facts) -> Words:
    return (
        "Durée maximale",
        f"À {f['age']} ans à la fin de votre contrat, la durée est limitée à {days_fr(f['maximum'])}.",
    )


@_says("duration")
def _duration(f: Facts) -> Words:
    return "Durée de vos droits", f"{days_fr(f['days'])} d'indemnisation."


# §5 — Différés et délai d'attente


@_says("specific_deferral")
def _specific_deferral(f: Facts) -> Words:
    text = (
        f"{eur(f['severance'])} d'indemnités au-delà du minimum légal / {num(f['divisor'])} = "
        f"{days_fr(f['computed_days'])}"
    )
    if f["computed_days"] > f["days"]:
        reason = " en cas de licenciement économique" if f["economic_dismissal"] else ""
        text += f", limité à {days_fr(f['days'])}{reason}"
    return "Différé d'indemnisation spécifique", text + "."


@_says("paid_leave_deferral")
def _paid_leave_deferral(f: Facts) -> Words:
    text = (
        f"{eur(f['compensation'])} d'indemnité de congés payés / {eur(f['reference_wage'])} de salaire "
        f"journalier = {days_fr(f['computed_days'])}"
    )
    if f["computed_days"] > f["days"]:
        text += f", limité à {days_fr(f['days'])}"
    return "Différé congés payés", text + "."


@_says("waiting_period_waived")
def _waiting_period_waived(f: Facts) -> Words:
    return (
        "Délai d'attente",
        f"Pas de délai d'attente : il a déjà été appliqué le {day(f['applied_on'])}, il y a moins de "
        f"{f['months']} mois.",
    )


@_says("waiting_period")
def _waiting_period(f: Facts) -> Words:
    after = {
        "registration": "à partir de votre inscription",
        "deferrals": "après les différés",
        "contract_end": "après la fin du contrat",
    }[f["after"]]
    return "Délai d'attente", f"{days_fr(f['days'])} non indemnisés {after}, à partir du {day(f['start'])}."


@_says("first_paid_day")
def _first_paid_day(f: Facts) -> Words:
    return "Premier jour indemnisé", f"Votre indemnisation commence le {day(f['day'])}."


@_says("contract_end")
def _contract_end(f: Facts) -> Words:
    return (
        "Fin du dernier contrat",
        f"Votre dernier contrat a pris fin le {day(f['day'])} ; vous aviez alors {f['age']} ans.",
    )


# §6 — Le mois


@_says("payable_days")
def _payable_days(f: Facts) -> Words:
    label = "Jours indemnisables"
    kind = f["kind"]
    if kind == "before_start":
        return label, f"Votre indemnisation commence le {day(f['first_paid_day'])}."
    if kind == "exhausted":
        return label, "Vos droits sont épuisés."
    title, name = month_title(f["month"]), format_month_fr(f["month"])
    if kind == "whole_flat":
        text = f"{title} est un mois complet : il est indemnisé sur {days_fr(f['basis'])}"
        if f["days"] < f["basis"]:
            text += f", limités aux {days_fr(f['days'])} qui restent sur vos droits"
        return label, text + "."
    if kind == "whole_calendar":
        return label, (
            f"{title} compte {days_fr(f['days'])}, tous indemnisés (avant avril 2025, chaque mois "
            "était indemnisé sur son nombre réel de jours)."
        )
    if kind == "suspended":
        return label, (
            f"Aucun jour n'est payé en {name} : votre allocation est suspendue du "
            f"{day(f['suspended_from'])} au {day(f['suspended_until'])}."
        )
    text = f"{days_fr(f['days'])} indemnisés en {name}, du {day(f['start'])} au {day(f['end'])}."
    if kind == "partly_suspended":
        text += f" Votre allocation est suspendue du {day(f['suspended_from'])} au {day(f['suspended_until'])}."
    elif f["last_days"]:
        text += " Ce sont les derniers jours de vos droits."
    return label, text


@_says("declaration_window")
def _declaration_window(f: Facts) -> Words:
    return (
        "Actualisation",
        f"Vous pouvez déclarer votre situation de {format_month_fr(f['month'])} du {day(f['opens'])} au "
        f"{day(f['closes'])} à minuit. Sans déclaration, votre inscription prend fin et vos paiements "
        "s'arrêtent jusqu'à votre réinscription.",
    )


@_says("payment_date")
def _payment_date(f: Facts) -> Words:
    text = (
        f"Actualisation faite le {day(f['declared_on'])} : le paiement de {format_month_fr(f['month'])} part "
        f"en moyenne {f['delay']} jours ouvrés plus tard, jamais avant le mois suivant : vers le "
        f"{day(f['expected'])}, au plus tard le {day(f['latest'])}."
    )
    if f["first_days_until"]:
        text += f" Les premiers paiements du mois ont lieu entre le 1er et le {f['first_days_until']}."
    return "Date de paiement", text


@_says("monthly_rate")
def _monthly_rate(f: Facts) -> Words:
    text = f"{eur(f['daily_allowance'])} brut par jour en {format_month_fr(f['month'])}"
    if f["daily_allowance"] != f["notified"]:
        text += f" (au lieu de {eur(f['notified'])} : barème revalorisé)"
    return "Allocation journalière", text + "."


@_says("degressivity_month")
def _degressivity_month(f: Facts) -> Words:
    since = f" (le {day(f['day_183_on'])})" if f["day_183_on"] else ""
    return (
        "Dégressivité",
        f"À partir du {f['start_day']}e jour indemnisé{since}, votre allocation est réduite à "
        f"{eur(f['reduced'])} par jour : {days_fr(f['days'])} à ce montant ce mois-ci.",
    )


@_says("monthly_gross")
def _monthly_gross(f: Facts) -> Words:
    parts = " + ".join(f"{days_fr(days)} × {eur(rate)}" for days, rate in f["parts"]) or "0 jour"
    return "Montant brut du mois", f"{parts} = {eur(f['gross'])}."


@_says("monthly_net")
def _monthly_net(f: Facts) -> Words:
    taken = [
        f"{eur(amount)} {what}"
        for amount, what in (
            (f["retirement"], "de retraite complémentaire"),
            (f["csg_crds"], "de CSG et CRDS"),
            (f["alsace_moselle"], "de cotisation Alsace-Moselle"),
        )
        if amount
    ]
    return "Montant net du mois", " − ".join([f"{eur(f['gross'])} brut", *taken]) + f" = {eur(f['net'])} net."


@_says("rights_exhausted")
def _rights_exhausted(f: Facts) -> Words:
    return "Fin de vos droits", f"Vos droits s'arrêtent le {day(f['day'])}."


# §7 — Cumul


@_says("work_declared")
def _work_declared(f: Facts) -> Words:
    return (
        "Reprise d'activité",
        f"Vous avez déclaré {eur(f['earnings'])} de salaire brut. "
        f"({eur(f['monthly_allowance'])} − {pct(f['earnings_rate'])} × {eur(f['earnings'])}) / "
        f"{eur(f['daily_allowance'])} = {num(f['quotient'].quantize(Decimal('0.01')))}, "
        f"soit {days_fr(f['formula_days'])} indemnisés sur {f['payable_days']}.",
    )


@_says("cumul_ceiling")
def _cumul_ceiling(f: Facts) -> Words:
    days = num(f["ceiling_days"])
    text = (
        "Votre allocation et votre salaire ensemble ne peuvent pas dépasser votre salaire mensuel de "
        f"référence, {days} fois votre salaire journalier de référence ({eur(f['reference_wage'])}), "
        f"soit {eur(f['ceiling'])}."
    )
    if not f["confirmed"]:
        text += (
            f" Depuis avril 2025 nous retenons {days} jours au lieu de 30,42 : cette valeur n'est pas "
            "encore confirmée officiellement."
        )
    if f["days_paid"] is not None:
        text += f" Seuls {days_fr(f['days_paid'])} sont donc indemnisés ce mois-ci."
    return "Plafond du cumul", text


@_says("unpaid_days_carried")
def _unpaid_days_carried(f: Facts) -> Words:
    return (
        "Jours reportés",
        f"Les {days_fr(f['days'])} non payés ne sont pas perdus : ils repoussent la fin de vos droits.",
    )


# §8 — Du brut au net


@_says("retirement_contribution")
def _retirement_contribution(f: Facts) -> Words:
    text = f"{pct(f['rate'])} × {eur(f['reference_wage'])} = {eur(f['full'])} par jour"
    if f["taken"] < f["full"]:
        text += (
            f", limitée à {eur(f['taken'])} pour que votre allocation ne passe pas sous le minimum de "
            f"{eur(f['minimum'])}"
        )
    return "Retraite complémentaire", text + "."


@_says("csg_crds")
def _csg_crds(f: Facts) -> Words:
    if f["exempt"]:
        return "CSG et CRDS", "Votre foyer est exonéré de CSG et de CRDS."
    text = (
        f"CSG {pct(f['csg_rate'])} et CRDS {pct(f['crds_rate'])} sur {pct(f['base_rate'])} de "
        f"{eur(f['gross'])} : {eur(f['full_csg'])} + {eur(f['full_crds'])} par jour"
    )
    if f["taken"] == 0:
        text += f". Elles ne sont pas prélevées : votre allocation nette passerait sous {eur(f['floor'])} par jour"
    elif f["taken"] < f["full"]:
        text += f", limitées à {eur(f['taken'])} pour que votre allocation nette reste à {eur(f['floor'])} par jour"
    return "CSG et CRDS", text + "."


@_says("alsace_moselle_contribution")
def _alsace_moselle_contribution(f: Facts) -> Words:
    text = f"{pct(f['rate'])} × {eur(f['gross'])} = {eur(f['full'])} par jour"
    if f["taken"] < f["full"]:
        text += f", limitée à {eur(f['taken'])} (plancher de {eur(f['floor'])} par jour)"
    return "Cotisation Alsace-Moselle", text + "."


@_says("daily_net")
def _daily_net(f: Facts) -> Words:
    return "Allocation journalière nette", f"{eur(f['gross'])} brut, soit {eur(f['net'])} net par jour."


# The timeline: end of rights and dégressivité


@_says("end_of_rights")
def _end_of_rights(f: Facts) -> Words:
    text = f"Vos droits vont jusqu'au {day(f['end_date'])}."
    causes = [
        f"{days_fr(count)} {why}"
        for count, why in (
            (f["unpaid_for_work"], "non payés parce que vous avez travaillé"),
            (f["suspended"], "suspendus par une sanction"),
            (f["not_declared"], "non payés faute d'actualisation"),
        )
        if count
    ]
    if causes:
        text += (
            " " + _sentence(" et ".join(causes)) + " ne sont pas perdus : ils repoussent cette date "
            f"(le {day(f['theoretical_end_date'])} sinon)."
        )
    else:
        text += " Les jours non payés parce que vous travaillez repousseraient cette date."
    return "Fin de vos droits", text


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


@_says("degressivity")
def _degressivity(f: Facts) -> Words:
    outcome = f["outcome"]
    if outcome == "too_old":
        text = (
            f"Vous aviez {f['age']} ans à la fin de votre contrat : la dégressivité ne s'applique "
            f"qu'avant {f['limit']} ans."
        )
    elif outcome == "training":
        text = "Pendant votre formation, votre allocation n'est pas réduite."
    elif outcome == "too_short":
        text = (
            f"Vos droits durent {days_fr(f['duration'])} : ils s'arrêtent avant le {f['start_day']}e jour, "
            "votre allocation ne sera pas réduite."
        )
    elif outcome == "below_threshold":
        text = (
            f"Votre allocation de {eur(f['daily_allowance'])} ne dépasse pas le seuil de {eur(f['threshold'])} "
            f"en vigueur le {day(f['on'])} (183e jour indemnisé) : elle n'est pas réduite."
        )
    else:
        product = f["daily_allowance"] * f["coefficient"]
        text = (
            f"À partir du {f['start_day']}e jour indemnisé, le {day(f['on'])}, votre allocation passe à "
            f"{eur(f['daily_allowance'])} × {num(f['coefficient'])} = {eur(product)}"
        )
        if f["reduced"] == f["threshold"] and product < f["threshold"]:
            text += f", relevée au plancher de {eur(f['threshold'])} par jour (seuil en vigueur ce jour-là)."
        else:
            text += " par jour."
    return "Dégressivité", text


# §9 — Trop-perçus


@_says("overpayment_notified")
def _overpayment_notified(f: Facts) -> Words:
    text = f"France Travail vous a notifié un trop-perçu de {eur(f['amount'])} le {day(f['notified_on'])}."
    if f["withheld"]:
        text += f" {eur(f['withheld'])} ont déjà été retenus : il reste {eur(f['remaining'])} à rembourser."
    if f["can_contest"]:
        text += f" Vous pouvez le contester jusqu'au {day(f['contest_deadline'])}."
    return "Trop-perçu", text


@_says("overpayment_below_threshold")
def _overpayment_below_threshold(f: Facts) -> Words:
    return (
        "Pas de récupération",
        f"Les trop-perçus de moins de {eur(f['threshold'])} ne sont pas récupérés : vous n'avez rien à rembourser.",
    )


@_says("overpayment_prescribed")
def _overpayment_prescribed(f: Facts) -> Words:
    return "Prescription", f"Le délai pour récupérer cette somme a expiré le {day(f['limitation_date'])}."


@_says("overpayment_repaid")
def _overpayment_repaid(_f: Facts) -> Words:
    return "Remboursé", "Ce trop-perçu est entièrement remboursé."


@_says("overpayment_schedule")
def _overpayment_schedule(f: Facts) -> Words:
    first, last, count = f["first"], f["last"], f["count"]
    text = (
        f"Remboursement en {count} mensualité{'s' if count > 1 else ''} de {eur(first.amount)} à partir de "
        f"{format_month_fr(first.month)}"
    )
    text += f" (dernière : {eur(last.amount)})." if last.amount != first.amount else "."
    return "Échéancier", text


@_says("overpayment_withholding")
def _overpayment_withholding(f: Facts) -> Words:
    if f["first"] is None:
        return (
            "Remboursement",
            "Aucune retenue n'est possible sur vos allocations : France Travail vous demandera de rembourser "
            f"directement, en une fois ou jusqu'à {f['max_instalments']} mensualités.",
        )
    first, last, count = f["first"], f["last"], f["count"]
    if f["applied"]:
        text = f"{eur(f['monthly'])} sont retenus chaque mois sur vos allocations."
    else:
        text = (
            f"Sans contestation, France Travail retient au plus {eur(f['monthly'])} par mois sur vos allocations "
            "(part saisissable)."
        )
    if count == 1:
        text += f" Une dernière retenue de {eur(first.amount)} est prévue en {format_month_fr(first.month)}."
    else:
        text += f" À ce rythme, {count} retenues de {format_month_fr(first.month)} à {format_month_fr(last.month)}" + (
            f", la dernière de {eur(last.amount)}." if last.amount != first.amount else "."
        )
    if not f["applied"]:
        text += f" Vous pouvez aussi demander un échéancier jusqu'à {f['max_instalments']} mensualités."
    return "Retenues sur vos allocations", text


@_says("overpayment_balance")
def _overpayment_balance(f: Facts) -> Words:
    return (
        "Reste à rembourser",
        f"Les retenues prévues ne couvrent pas tout : il resterait {eur(f['balance'])}, que France Travail vous "
        f"demandera de rembourser directement (en une fois ou jusqu'à {f['max_instalments']} mensualités).",
    )


@_says("overpayment_rules_unknown")
def _overpayment_rules_unknown(_f: Facts) -> Words:
    return (
        "Trop-perçu",
        "Ce trop-perçu a été notifié avant les règles que je connais : un conseiller peut vous en donner le détail.",
    )


@_says("overpayment_contest_closed")
def _overpayment_contest_closed(f: Facts) -> Words:
    return (
        "Contestation",
        f"Le délai pour contester a pris fin le {day(f['contest_deadline'])}. Vous pouvez encore demander une "
        "remise gracieuse (annulation de tout ou partie de la dette) si votre situation est difficile, ou "
        "saisir le médiateur de France Travail si vous êtes en désaccord.",
    )


ESTIMATE_ASSUMPTION = "Estimation sans revenu d'activité déclaré pour ce mois."


# Reasons of a payment that is blocked, missing or lower (docs/are-rules.md §10)

_REASONS: dict[str, Callable[[Facts], str]] = {}


def _reason(code: str) -> Callable[[Callable[[Facts], str]], Callable[[Facts], str]]:
    return _registered(_REASONS, code)


def reason_message(code: str, **facts: Any) -> str:
    """Why a payment of ``facts['period']`` is blocked, missing or lower, and what to do."""
    saying = _REASONS.get(code)
    if saying is None:
        return "Un conseiller peut vous donner le détail de ce paiement."
    return saying(facts)


@_reason("missing_declaration")
def _missing_declaration(f: Facts) -> str:
    of_month, closes = format_of_month_fr(f["period"]), day(f["closes"])
    if f["window_open"]:
        return (
            f"Votre actualisation {of_month} n'a pas encore été faite. Faites-la avant le {closes} minuit "
            "pour être payé."
        )
    return (
        f"Votre actualisation {of_month} n'a pas été faite avant le {closes} : votre inscription a pris fin et "
        "les paiements sont arrêtés. Réinscrivez-vous pour les reprendre."
    )


@_reason("late_declaration")
def _late_declaration(f: Facts) -> str:
    return f"Votre actualisation {format_of_month_fr(f['period'])} a été faite en retard : le paiement est décalé."


@_reason("document_awaited")
def _document_awaited(f: Facts) -> str:
    return (
        f"Nous attendons {f.get('document') or 'un justificatif'} pour calculer votre paiement "
        f"{format_of_month_fr(f['period'])}. Envoyez-le depuis votre espace."
    )


@_reason("sanction")
def _sanction(f: Facts) -> str:
    until = f.get("until")
    return (
        "Votre allocation est suspendue"
        + (f" jusqu'au {day(until)}" if until else "")
        + " à la suite d'une décision de sanction : rien n'est versé pour cette période."
    )


@_reason("iban_rejected")
def _iban_rejected(_f: Facts) -> str:
    return (
        "Votre banque a refusé le virement : vos coordonnées bancaires (RIB) sont à mettre à jour dans votre "
        "espace personnel."
    )


@_reason("overpayment_withheld")
def _overpayment_withheld(f: Facts) -> str:
    return f"{eur(f['withheld'])} ont été retenus sur ce paiement pour rembourser un trop-perçu."


@_reason("degressivity")
def _degressivity_reason(f: Facts) -> str:
    since = f.get("since")
    return (
        "Votre allocation journalière est réduite depuis votre 183e jour indemnisé"
        + (f", le {day(since)}" if since else "")
        + " (dégressivité)."
    )


@_reason("work_declared")
def _work_declared_reason(f: Facts) -> str:
    return (
        f"Vous avez déclaré une activité en {format_month_fr(f['period'])} : une partie des jours n'est pas "
        "payée ce mois-ci."
    )


@_reason("short_month")
def _short_month(f: Facts) -> str:
    return (
        f"{month_title(f['period'])} compte moins de jours : avant avril 2025, l'allocation était payée au "
        "nombre de jours du mois."
    )


@_reason("waiting_period")
def _waiting_period_reason(f: Facts) -> str:
    start = f.get("first_paid_day")
    if start:
        return f"Votre indemnisation commence le {day(start)}, après les délais de carence et d'attente."
    return "Les délais de carence et d'attente s'appliquent avant votre premier jour indemnisé."


@_reason("end_of_rights")
def _end_of_rights_reason(f: Facts) -> str:
    end = f.get("end_date")
    return f"Vos droits ont pris fin le {day(end)}." if end else "Vos droits à l'allocation ont pris fin."


# Issue 20, awaited documents: what the file awaits from the person, and where to send it.
SEND_DOCUMENT = "Déposez le document depuis votre espace personnel, rubrique « Mes échanges »."
"""The same words as the bot's « what to do » for a payment held by a document (actions/payments.py)."""


def awaited_summary(count: int) -> str:
    if count == 0:
        return "Nous n'attendons aucun document de votre part : votre dossier est complet."
    if count == 1:
        return "Nous attendons un document de votre part."
    return f"Nous attendons {format_number(count)} documents de votre part."


def awaited_document(label: str, requested_on: date, held_month: date | None) -> str:
    """One awaited document: what it is, since when, and the payment it holds (if any)."""
    what = label[:1].upper() + label[1:]
    if held_month is not None:
        return (
            f"{what} (demande du {day(requested_on)}) : votre paiement {format_of_month_fr(held_month)} "
            "est bloqué tant que nous n'avons pas ce document."
        )
    return f"{what} (demande du {day(requested_on)}). Ce document ne bloque aucun paiement."
