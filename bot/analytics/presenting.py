"""The indicators as people read them: HTML tables, charts (matplotlib) and CSV.

The same fragment is the body of the report (``report``) and of the supervisors'
dashboard in the console: tables are the reference (a screen reader reads them,
they print), charts repeat them for the eye. Charts are readable without colour:
black and grey only, hatching, values written on the bars.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import matplotlib

matplotlib.use("Agg")  # no display: files and HTTP answers only

import matplotlib.pyplot as plt  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from jinja2 import Environment, FileSystemLoader, select_autoescape  # noqa: E402

from bot.analytics.indicators import (  # noqa: E402
    Indicators,
    Quality,
    Rate,
    Slice,
    answer_quality,
    compute,
    need_label,
)
from bot.analytics.store import load_conversations, load_reviews  # noqa: E402
from bot.analytics.value import Parameters, Value, estimate, load_parameters  # noqa: E402
from bot.common.formatting import format_date_fr, format_eur, format_number  # noqa: E402

HANDOVER_REASONS = {
    "human_requested": "demande de la personne",
    "distress": "détresse",
    "low_confidence": "non compris après clarification",
    "repeated_misunderstanding": "incompréhension répétée",
    "backend_error": "système d'indemnisation indisponible",
    "identification_locked": "identification bloquée",
    "contest_overpayment": "contestation d'un trop-perçu",
    "sanction": "sanction contestée",
    "contest_decision": "contestation d'une décision",
}
REVIEW_REASONS = {
    "correct": "juste",
    "wrong_figure": "montant ou date faux",
    "wrong_need": "besoin mal compris",
    "incomplete": "incomplète",
    "unclear": "peu claire",
    "should_hand_over": "aurait dû passer à un conseiller",
    "tone": "ton inadapté",
}
"""Why a counsellor marks an answer (the review form's choices; ``correct`` goes with « juste »)."""
CHARTS = ("jours", "heures", "besoins", "escalades", "qualite")
_env = Environment(
    loader=FileSystemLoader(str(__import__("pathlib").Path(__file__).parent / "templates")),
    autoescape=select_autoescape(["html"]),
)


@dataclass(frozen=True)
class Bundle:
    indicators: Indicators
    quality: list[Quality]
    value: Value
    parameters: Parameters


def bundle(engine: sa.engine.Engine, start: date, end: date) -> Bundle:
    rows, repeats = load_conversations(engine, start, end)
    indicators = compute(rows, start, end, repeats)
    quality = answer_quality(load_reviews(engine, start, end))
    parameters = load_parameters()
    value = estimate(indicators.contained_allowance, indicators.overall.conversations, indicators.messages, parameters)
    return Bundle(indicators, quality, value, parameters)


def percent(rate: Rate) -> str:
    return rate.percent()


def seconds(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 90:
        return f"{format_number(round(value))} s"
    return f"{format_number(round(value / 60))} min"


def interval(quality: Quality) -> str:
    if quality.interval is None:
        return "–"
    low, high = quality.interval
    return f"{format_number(round(low * 100))} – {format_number(round(high * 100))} %"


def fragment(data: Bundle, chart_src: Callable[[str], str]) -> str:
    """The indicators' HTML (tables, charts, definitions' summary), without page frame."""
    return _env.get_template("indicators.html").render(
        b=data,
        i=data.indicators,
        v=data.value,
        p=data.parameters,
        chart_src=chart_src,
        percent=percent,
        seconds=seconds,
        interval=interval,
        need_label=need_label,
        reason_label=lambda reason: HANDOVER_REASONS.get(reason, reason),
        eur=format_eur,
        number=format_number,
        day=format_date_fr,
        iso_day=lambda text: format_date_fr(date.fromisoformat(text)),
        none_label=lambda text: text,
        reason_text=lambda reason: REVIEW_REASONS.get(reason, reason),
    )


# --- charts -----------------------------------------------------------------------------------------
GREY, DARK = "#bdbdbd", "#222222"


def _bars(labels: list[str], values: list[float], title: str, xlabel: str, horizontal: bool = False, fmt=str):
    height = max(2.4, 0.38 * len(labels) + 1.2) if horizontal else 3.2
    figure, axes = plt.subplots(figsize=(8, height), dpi=100)
    if horizontal:
        bars = axes.barh(labels, values, color="white", edgecolor=DARK, hatch="//")
        axes.invert_yaxis()
        axes.set_xlabel(xlabel)
    else:
        bars = axes.bar(labels, values, color="white", edgecolor=DARK, hatch="//")
        axes.set_ylabel(xlabel)
        if len(labels) > 12:
            axes.tick_params(axis="x", labelrotation=90, labelsize=7)
    for bar, value in zip(bars, values, strict=True):
        if horizontal:
            axes.annotate(
                fmt(value),
                (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        elif len(labels) <= 31:
            axes.annotate(
                fmt(value),
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                fontsize=6 if len(labels) > 12 else 8,
            )
    axes.set_title(title, fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return figure


def _rate_value(rate: Rate) -> float:
    return round((rate.value or 0) * 100, 1)


def chart(data: Bundle, name: str):
    """One chart (a matplotlib figure) of the bundle: ``jours``, ``heures``, ``besoins``, ``escalades``, ``qualite``."""
    ind = data.indicators
    pct = lambda value: f"{format_number(round(value))} %"  # noqa: E731
    count = lambda value: format_number(int(value))  # noqa: E731
    if name == "jours":
        return _bars(
            [s.label[5:] for s in ind.by_day],
            [s.conversations for s in ind.by_day],
            "Conversations par jour",
            "conversations",
            fmt=count,
        )
    if name == "heures":
        return _bars(
            [s.label[:2] for s in ind.by_hour],
            [s.conversations for s in ind.by_hour],
            "Conversations par heure de début (UTC)",
            "conversations",
            fmt=count,
        )
    if name == "besoins":
        return _bars(
            [need_label(s.label) for s in ind.by_need],
            [_rate_value(s.containment) for s in ind.by_need],
            "Confinement par besoin (sans relais ni recontact sous 24 h)",
            "% des conversations du besoin",
            horizontal=True,
            fmt=pct,
        )
    if name == "escalades":
        return _bars(
            [HANDOVER_REASONS.get(e.reason, e.reason) for e in ind.escalations] or ["aucun relais"],
            [_rate_value(e.rate) for e in ind.escalations] or [0],
            "Relais vers un conseiller, par motif",
            "% de toutes les conversations",
            horizontal=True,
            fmt=pct,
        )
    if name == "qualite":
        figure, axes = plt.subplots(figsize=(8, max(2.4, 0.38 * len(data.quality) + 1.2)), dpi=100)
        labels = [need_label(q.need) for q in data.quality] or ["aucune relecture"]
        shares = [q.right / q.reviewed * 100 for q in data.quality] or [0]
        errors = [
            [share - q.interval[0] * 100 for q, share in zip(data.quality, shares, strict=False) if q.interval],
            [q.interval[1] * 100 - share for q, share in zip(data.quality, shares, strict=False) if q.interval],
        ]
        axes.barh(labels, shares, color="white", edgecolor=DARK, hatch="..")
        if data.quality:
            axes.errorbar(shares, labels, xerr=errors, fmt="none", ecolor=DARK, capsize=4)
        axes.invert_yaxis()
        axes.set_xlim(0, 105)
        axes.set_xlabel("% de réponses justes (intervalle de Wilson à 95 %)")
        axes.set_title("Qualité des réponses relues par les conseillers", fontsize=11)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        return figure
    raise KeyError(name)


def chart_bytes(data: Bundle, name: str, fmt: str = "png") -> bytes:
    figure = chart(data, name)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    plt.close(figure)
    return buffer.getvalue()


# --- CSV --------------------------------------------------------------------------------------------
SLICE_COLUMNS = [
    "tranche",
    "conversations",
    "part_des_conversations",
    "confinement",
    "relais",
    "incomprehension",
    "clarification",
    "abandon",
    "satisfaction",
    "reponse_satisfaction",
    "repondu",
    "attente_conseiller_mediane_s",
]


def _rate_cell(rate: Rate) -> str:
    return "" if rate.value is None else f"{rate.value:.4f}"


def _slice_row(label: str, s: Slice) -> list[str]:
    return [
        label,
        str(s.conversations),
        _rate_cell(s.share),
        _rate_cell(s.containment),
        _rate_cell(s.handover),
        _rate_cell(s.fallback),
        _rate_cell(s.clarification),
        _rate_cell(s.abandonment),
        _rate_cell(s.satisfaction),
        _rate_cell(s.satisfaction_answered),
        _rate_cell(s.answered),
        "" if s.median_counsellor_seconds is None else f"{s.median_counsellor_seconds:.0f}",
    ]


def csv_files(data: Bundle) -> dict[str, str]:
    """File name → CSV text (comma-separated, rates as fractions, UTF-8)."""
    ind = data.indicators
    files = {}
    for name, slices in (
        ("par_besoin", ind.by_need),
        ("par_canal", ind.by_channel),
        ("par_jour", ind.by_day),
        ("par_heure", ind.by_hour),
        ("ensemble", [ind.overall]),
    ):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(SLICE_COLUMNS)
        for s in slices:
            writer.writerow(_slice_row(s.label, s))
        files[f"{name}.csv"] = out.getvalue()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["motif", "conversations", "part_des_conversations", "attente_conseiller_mediane_s"])
    for e in ind.escalations:
        wait = "" if e.median_counsellor_seconds is None else f"{e.median_counsellor_seconds:.0f}"
        writer.writerow([e.reason, e.count, _rate_cell(e.rate), wait])
    files["relais_par_motif.csv"] = out.getvalue()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["besoin", "relues", "justes", "part_justes", "wilson95_bas", "wilson95_haut"])
    for q in data.quality:
        low, high = q.interval or (None, None)
        writer.writerow([q.need, q.reviewed, q.right, f"{q.right / q.reviewed:.4f}", f"{low:.4f}", f"{high:.4f}"])
    files["qualite_par_besoin.csv"] = out.getvalue()
    v = data.value
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["grandeur", "valeur"])
    for key in (
        "contained_allowance",
        "calls_avoided",
        "emails_avoided",
        "value_eur",
        "conversations",
        "messages",
        "cpu_seconds",
        "cpu_seconds_per_conversation",
        "energy_kwh",
        "energy_wh_per_conversation",
        "co2e_kg",
        "energy_eur",
    ):
        writer.writerow([key, str(getattr(v, key))])
    files["gains_et_couts.csv"] = out.getvalue()
    return files
