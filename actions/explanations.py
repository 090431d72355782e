"""« Pourquoi ? » answered from the file: the steps of the backend's explanation that fit the question.

The backend explains every figure in steps (``explanation``: label and sentence, with the file's
figures and dates). A "why" names what surprises the person: a first payment late (the deferrals
and the waiting period, with their dates), an amount low (the wages retained, the formula, part
time, the minimum, the cap), no or some dégressivité (the person's age, the threshold). The steps
about that come first; asked again, the bot goes one level deeper (the rest of the calculation);
asked a third time, it has said all the file holds and offers a counsellor.
"""

from __future__ import annotations

import re

from bot.common.folding import fold

MAX_STEPS = 5

TOPICS: dict[str, re.Pattern[str]] = {
    "late": re.compile(
        r"\b(?:tard|long|longtemps|attend\w*|attente|delai|carence|differe|premier \w+|toujours rien)\b"
    ),
    "degressivity": re.compile(r"degressi\w*|\bbaiss\w*|\bdiminu\w*|\breduit\w*|\bsix mois\b|\b6 mois\b"),
    "low": re.compile(
        r"\b(?:faible|peu|bas|basse|petit\w*|pas plus|maigre|ridicule|minimum|minimal\w*|plafon\w*|temps partiel"
        r"|pas beaucoup|pas assez|pas grand chose|pas lourd|pas terrible|si peu)\b"
    ),
    "deductions": re.compile(r"\b(?:prel\w*|retenu\w*|retien\w*|cotisation\w*|csg|crds|alsace|net)\b"),
}

# The explanation's labels (bot/backend/wording.py) that answer each kind of "why".
TOPIC_LABELS: dict[str, tuple[str, ...]] = {
    "late": (
        "Fin du dernier contrat",
        "Différé d'indemnisation spécifique",
        "Différé congés payés",
        "Délai d'attente",
        "Premier jour indemnisé",
    ),
    "degressivity": ("Dégressivité",),
    "low": (  # the reasons first (minimum, caps, the formula with part time), then how the wage was taken
        "Allocation minimale",
        "Plafond du cumul",
        "Plafond",
        "Calcul de l'allocation journalière",
        "Salaire journalier de référence",
        "Salaires retenus",
        "Jours retenus",
        "Allocation journalière brute",
        "Montant brut du mois",
    ),
    "deductions": (
        "Montant net du mois",
        "Retraite complémentaire",
        "CSG et CRDS",
        "Cotisation Alsace-Moselle",
        "Allocation journalière nette",
    ),
}


# A question that asks why (« pourquoi… », « bonsoir, pk… », « comment ça se fait que… »).
WHY = re.compile(r"\b(?:pourquoi|pk|pq|pkoi|pour quelle raison|comment ca se fait)\b")


def asks_why(text: str | None) -> bool:
    return WHY.search(fold(text or "").replace("'", " ")) is not None


def topic_of(text: str | None) -> str | None:
    """What a "why" is about, from its words; None for a bare « pourquoi ? »."""
    folded = fold(text or "").replace("'", " ")
    for topic, pattern in TOPICS.items():
        if pattern.search(folded):
            return topic
    return None


def _rank(step: dict, wanted: tuple[str, ...]) -> int | None:
    """Where the step's label comes in the topic's labels (its priority), None when it is not about the topic."""
    return next((i for i, label in enumerate(wanted) if step["label"].startswith(label)), None)


def ordered_steps(steps: list[dict], topic: str | None) -> list[dict]:
    """The steps about the topic first (in the topic's order of labels), then the others; each label once.

    For « pourquoi si peu ? » the decisive reason (the minimum, the cap, part time in the formula) comes
    before the calculation that leads to it: the first answer has room for five steps only."""
    wanted = TOPIC_LABELS.get(topic or "", ())
    ranked = [(rank, s) for s in steps if (rank := _rank(s, wanted)) is not None]
    first = [s for _, s in sorted(ranked, key=lambda item: item[0])]  # stable: the file's order within a rank
    rest = [s for s in steps if s not in first]
    seen: set[str] = set()
    kept = []
    for step in first + rest:
        key = step["label"] + step["detail"]
        if step["label"] in seen and key in seen:
            continue
        seen.update((step["label"], key))
        kept.append(step)
    return kept


def level_of(steps: list[dict], topic: str | None, depth: int) -> list[dict]:
    """The steps said at ``depth`` (1: the first answer to « pourquoi ? », 2: one level deeper)."""
    ordered = ordered_steps(steps, topic)
    wanted = TOPIC_LABELS.get(topic or "", ())
    about = [s for s in ordered if _rank(s, wanted) is not None][:MAX_STEPS]
    if about:
        # The steps about the question first, alone; deeper levels go through the rest.
        if depth == 1:
            return about
        rest = [s for s in ordered if s not in about]
        start = (depth - 2) * MAX_STEPS
        return rest[start : start + MAX_STEPS]
    start = (depth - 1) * MAX_STEPS
    return ordered[start : start + MAX_STEPS]


def lines_of(steps: list[dict]) -> list[str]:
    return [f"- {step['label']} : {step['detail']}" for step in steps]
