"""The two custom NLU components: FrenchTextNormalizer and FrenchEntityExtractor.

Unit tests call the components on Rasa ``Message`` objects tokenized by Rasa's own
``WhitespaceTokenizer``; the last tests train a tiny model with both components
through the default recipe and check what the server would return and store.
"""

from __future__ import annotations

import json
import tarfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.common.folding import fold
from bot.nlu.entities import FrenchEntityExtractor, extract_amounts, extract_months, resolve_month
from bot.nlu.normalizer import LEXICON, FrenchTextNormalizer, normalize
from tests.nlu import pipeline

pytestmark = pytest.mark.unit  # the fast loop: make unit

TODAY = "2026-11-22"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOCBOT_TODAY", TODAY)


@pytest.fixture(scope="module")
def graph_args(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model_storage"))
    return storage, Resource("test"), ExecutionContext(GraphSchema({}), "test")


@pytest.fixture(scope="module")
def tokenizer(graph_args: tuple) -> WhitespaceTokenizer:
    return WhitespaceTokenizer.create(WhitespaceTokenizer.get_default_config(), *graph_args)


@pytest.fixture(scope="module")
def normalizer(graph_args: tuple) -> FrenchTextNormalizer:
    return FrenchTextNormalizer.create(FrenchTextNormalizer.get_default_config(), *graph_args)


@pytest.fixture(scope="module")
def extractor(graph_args: tuple) -> FrenchEntityExtractor:
    return FrenchEntityExtractor.create(FrenchEntityExtractor.get_default_config(), *graph_args)


def tokens_of(message: Message) -> list[tuple[str, int, int]]:
    return [(t.text, t.start, t.end) for t in message.get(TOKENS_NAMES[TEXT])]


def normalized_message(text: str, tokenizer: WhitespaceTokenizer, normalizer: FrenchTextNormalizer) -> Message:
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    normalizer.process([message])
    return message


def amounts(text: str) -> list[tuple[str, str]]:
    return [(e["value"], text[e["start"] : e["end"]]) for e in extract_amounts(text)]


def months(text: str) -> list[tuple[str, str]]:
    return [(e["value"], text[e["start"] : e["end"]]) for e in extract_months(text)]


# --------------------------------------------------------------------- normalizer
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Combien vais-je percevoir en Décembre ?", "combien vais je percevoir en decembre ?"),
        ("cb jvais toucher ce mois-ci", "combien jvais toucher ce mois ci"),
        ("cmb je touche", "combien je touche"),
        ("qd arrive mon virement", "quand arrive mon virement"),
        ("QND je suis payé", "quand je suis paye"),
        ("kan ça tombe", "quand ca tombe"),
        ("pk j'ai eu si peu", "pourquoi j ai eu si peu"),
        ("pq ?", "pourquoi ?"),
        ("pkoi rien ce mois", "pourquoi rien ce mois"),
        ("pourkoi", "pourquoi"),
        ("c koi le calcul", "c est quoi le calcul"),
        ("pole emploi me doit cb jsp", "france travail me doit combien je sais pas"),
        ("stp", "s il vous plait"),
        ("SVP merci", "s il vous plait merci"),
        ("bcp de retard", "beaucoup de retard"),
        ("tjrs rien", "toujours rien"),
        ("tjr pas d'alloc", "toujours pas d allocation"),
        ("ds 2 jours pr mon rdv", "dans 2 jours pour mon rendez vous"),
        ("mm question", "meme question"),
        ("le chomdu", "le chomage"),
        ("le chômage", "le chomage"),
        ("mon actu", "mon actualisation"),
        ("FT m'a écrit", "france travail m a ecrit"),
        ("Pôle Emploi", "france travail"),
        ("pole-emploi", "france travail"),
        ("PE", "france travail"),
        ("mon ARE", "mon allocation"),
        ("les allocs", "les allocation"),
        ("slt", "salut"),
        ("Bjr", "bonjour"),
        ("bsr", "bonsoir"),
        ("mrc", "merci"),
        ("mci bcp", "merci beaucoup"),
        ("dacc", "d accord"),
        ("dac", "d accord"),
        ("oki", "ok"),
        ("okk", "ok"),
        ("ya un pb", "il y a un probleme"),
        ("g pas recu", "j ai pas recu"),
        ("un msg au tel", "un message au telephone"),
        ("200 balles", "200 euros"),
        ("800€", "800 euros"),
        ("1 200 € brut", "1 200 euros brut"),
        ("1200,50", "1200,50"),
    ],
)
def test_normalize_examples(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize("text", ["jai recu", "j'ai recu", "j ai recu", "J’ai reçu", "j`ai reçu", "J'AI REÇU"])
def test_elisions_and_apostrophes_get_the_same_words(text: str) -> None:
    assert normalize(text) == "j ai recu"


def test_accents_ligatures_case_and_spaces() -> None:
    assert normalize("  ÉTÉ   Œuvre  cæcum\u00a0Août ") == "ete oeuvre caecum aout"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pleeeease", "pleease"),
        ("merciiiii", "mercii"),
        ("svppp", "s il vous plait"),
        ("cbbbb", "combien"),
        ("?????", "??"),
        ("1000000 €", "1000000 euros"),  # digits are never shortened
        ("gg", "gg"),  # doubled on purpose: not an abbreviation
    ],
)
def test_stretched_letters(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("c'est quand", "c est quand"),  # the "c" of "c'est" is not the SMS "c"
        ("C’est quand", "c est quand"),
        ("c quand", "c est quand"),
        ("cbd", "cbd"),
        ("actuel", "actuel"),
        ("actualiser", "actualiser"),
        ("allocataire", "allocataire"),
        ("hotel", "hotel"),
        ("telephone", "telephone"),
        ("parents", "parents"),
        ("pression", "pression"),
        ("dsds", "dsds"),
        ("pole nord", "pole nord"),
        ("emploi", "emploi"),
    ],
)
def test_abbreviations_only_as_whole_words(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_lexicon_is_small_and_folded() -> None:
    assert len(LEXICON) <= 60
    for key, value in LEXICON.items():
        assert key == key.lower().strip()
        assert fold(key) == key
        assert value == fold(value)


def test_long_message() -> None:
    text = (
        "Bonsoir, mon CDD s'est terminé fin août et FT m'a envoyé un courrier que je comprends pas. "
        "Pouvez-vous m'indiquer cb j'aurai d'ARE chaque mois et qd ça commence stp ? Merciiii"
    )
    assert normalize(text) == (
        "bonsoir , mon cdd s est termine fin aout et france travail m a envoye un courrier que je comprends pas . "
        "pouvez vous m indiquer combien j aurai d allocation chaque mois et quand ca commence s il vous plait ? mercii"
    )


def test_tokens_are_rewritten_and_text_is_kept(tokenizer, normalizer) -> None:
    text = "Jsp cb l'ARE va me verser"
    message = normalized_message(text, tokenizer, normalizer)
    assert message.get(TEXT) == text
    assert tokens_of(message) == [
        ("je", 0, 3),
        ("sais", 0, 3),
        ("pas", 0, 3),
        ("combien", 4, 6),
        ("l", 7, 8),
        ("allocation", 9, 12),
        ("va", 13, 15),
        ("me", 16, 18),
        ("verser", 19, 25),
    ]
    # CountVectorsFeaturizer reads lemmas by default.
    assert [t.lemma for t in message.get(TOKENS_NAMES[TEXT])][:4] == ["je", "sais", "pas", "combien"]


def test_euro_sign_becomes_a_token(tokenizer, normalizer) -> None:
    message = normalized_message("je touche 800€ ou 900 €", tokenizer, normalizer)
    assert tokens_of(message) == [
        ("je", 0, 2),
        ("touche", 3, 9),
        ("800", 10, 13),
        ("euros", 13, 14),
        ("ou", 15, 17),
        ("900", 18, 21),
        ("euros", 22, 23),
    ]


def test_phrase_over_two_tokens(tokenizer, normalizer) -> None:
    message = normalized_message("merci Pôle Emploi", tokenizer, normalizer)
    assert tokens_of(message) == [("merci", 0, 5), ("france", 6, 17), ("travail", 6, 17)]


def test_c_est_split_by_the_tokenizer_is_not_expanded(tokenizer, normalizer) -> None:
    message = normalized_message("c'est quand, c quand", tokenizer, normalizer)
    assert [t[0] for t in tokens_of(message)] == ["c", "est", "quand", "c", "est", "quand"]


def test_emoji_only_message_keeps_its_token(tokenizer, normalizer) -> None:
    message = normalized_message("👍", tokenizer, normalizer)
    assert [t[0] for t in tokens_of(message)] == ["👍"]


def test_message_without_tokens_is_left_alone(normalizer) -> None:
    message = Message(data={TEXT: "cb"})
    normalizer.process([message])
    assert message.get(TOKENS_NAMES[TEXT]) is None
    assert message.get(TEXT) == "cb"


def test_training_data_is_normalized_and_annotations_still_align(tokenizer, normalizer) -> None:
    example = Message.build(
        text="si je gagne 1 200 € pr janvier",
        intent="simulate_earnings",
        entities=[{"entity": "amount", "value": "1200.00", "start": 12, "end": 19}],
    )
    other = Message.build(text="Pôle Emploi m'a rien versé", intent="report_missing_payment")
    data = TrainingData([example, other])
    tokenizer.process_training_data(data)
    normalizer.process_training_data(data)
    assert example.get(TEXT) == "si je gagne 1 200 € pr janvier"
    words = tokens_of(example)
    assert [w for w, _, _ in words] == ["si", "je", "gagne", "1", "200", "euros", "pour", "janvier"]
    starts = {s for _, s, _ in words}
    ends = {e for _, _, e in words}
    assert 12 in starts and 19 in ends
    assert [w for w, _, _ in tokens_of(other)] == ["france", "travail", "m", "a", "rien", "verse"]


def test_normalizer_requires_a_tokenizer_and_fingerprints_its_lexicon() -> None:
    from rasa.nlu.tokenizers.tokenizer import Tokenizer

    assert FrenchTextNormalizer.required_components() == [Tokenizer]
    addon = FrenchTextNormalizer.fingerprint_addon({})
    assert addon and addon == FrenchTextNormalizer.fingerprint_addon({})


@given(st.text(max_size=200))
def test_any_text_keeps_its_text_and_offsets(text: str) -> None:
    storage_free = FrenchTextNormalizer()
    message = Message(data={TEXT: text})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    storage_free.process([message])
    assert message.get(TEXT) == text
    tokens = message.get(TOKENS_NAMES[TEXT])
    assert tokens
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)
    assert all(0 <= t.start <= t.end <= len(text) for t in tokens)


# ---------------------------------------------------------------------- amounts
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("800 euros", [("800.00", "800 euros")]),
        ("800€", [("800.00", "800€")]),
        ("€800", [("800.00", "€800")]),
        ("800 EUR", [("800.00", "800 EUR")]),
        ("1 200 € brut", [("1200.00", "1 200 €")]),
        ("1\u202f200\u00a0€", [("1200.00", "1\u202f200\u00a0€")]),
        ("1200,50", [("1200.50", "1200,50")]),
        ("1 200,5 €", [("1200.50", "1 200,5 €")]),
        ("1.200,50 €", [("1200.50", "1.200,50 €")]),
        ("800.50 €", [("800.50", "800.50 €")]),
        ("2 000 e", [("2000.00", "2 000 e")]),
        ("je touche 800e par mois", [("800.00", "800e")]),
        ("1,2k", [("1200.00", "1,2k")]),
        ("2k€ net", [("2000.00", "2k€")]),
        ("huit cents balles", [("800.00", "huit cents balles")]),
        ("mille deux cents euros", [("1200.00", "mille deux cents euros")]),
        ("dix-huit cents euros", [("1800.00", "dix-huit cents euros")]),
        ("si je gagne deux mille euros brut", [("2000.00", "deux mille euros")]),
        ("ma femme gagne 2 mille euros", [("2000.00", "2 mille euros")]),
        ("quatre-vingt-dix euros", [("90.00", "quatre-vingt-dix euros")]),
        ("zéro euro ce mois", [("0.00", "zéro euro")]),
        ("je touche 12 euros et 50 centimes", [("12.50", "12 euros et 50 centimes")]),
        ("un salaire de mille euros", [("1000.00", "mille euros")]),
        ("je gagne 900", [("900.00", "900")]),
        ("si je fais 1500", [("1500.00", "1500")]),
        ("mon salaire est de 950", [("950.00", "950")]),
        ("avec 1200 de salaire ça donne combien", [("1200.00", "1200")]),
        ("un cdd a 1500 brut", [("1500.00", "1500")]),
        ("si je gagne 1000 net ce mois je garde mon ARE ?", [("1000.00", "1000")]),
        ("en travaillant pour 600 euros par mois", [("600.00", "600 euros")]),
        ("SI JE GAGNE 1000 EUROS COMBIEN JE TOUCHE", [("1000.00", "1000 EUROS")]),
        ("si je bosse 2 semaines payées 1000 euros", [("1000.00", "1000 euros")]),
        ("avec mes 3 enfants, si je gagne 1 350 euros bruts en mars", [("1350.00", "1 350 euros")]),
        ("g touché 650 au lieu de 990 ce mois", [("650.00", "650"), ("990.00", "990")]),
        ("entre 800 et 1000 €", [("800.00", "800"), ("1000.00", "1000 €")]),
        ("ça a baissé de 150 balles d'un coup", [("150.00", "150 balles")]),
        ("on me retient 150 balles par mois pour un indu", [("150.00", "150 balles")]),
        ("en 2025 je touchais 1100", [("1100.00", "1100")]),
        ("à 14h30 j'ai touché 800 euros", [("800.00", "800 euros")]),
        ("je gagne 1 500 € net par mois depuis mars 2026", [("1500.00", "1 500 €")]),
        ("un million d'euros", [("1000000.00", "un million d'euros")]),
        ("800", [("800.00", "800")]),
        ("1 200", [("1200.00", "1 200")]),
        ("1200,50 ?", [("1200.50", "1200,50")]),
        ("2000", [("2000.00", "2000")]),  # a round hundred alone is a sum, not a year
        ("mille", [("1000.00", "mille")]),
    ],
)
def test_amounts(text: str, expected: list[tuple[str, str]]) -> None:
    assert amounts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "1234567A",
        "id 8765432E",
        "mon identifiant c'est 2345678B",
        "mon identifiant france travail est 4567890F",
        "identifiant 1234567",
        "né le 12/03/1985",
        "12/03/1985",
        "12.03.1985",
        "date de naissance 30/06/1988",
        "ma date de naissance c'est le 8 octobre 1975",
        "15 janvier 1978",
        "2025",
        "je suis né en 1985",
        "novembre 2026",
        "06 12 34 56 78",
        "0601020304",
        "+33 6 11 22 33 44",
        "mon numero c'est le 07 98 76 54 32",
        "numéro de sécu 1 85 03 75 123 456 78",
        "FR76 3000 6000 0112 3456 7890 189",
        "30 jours",
        "ca fait 30 jours",
        "on m'a payé 28 jours au lieu de 30, c normal ?",
        "il me reste 12 mois",
        "j'ai 35 ans",
        "C'EST LA 2E FOIS QUE JE RELANCE",
        "nous sommes le 9 et toujours rien",
        "le 5 décembre",
        "rdv le 3 a 10h",
        "57 %",
        "75011",
        "33000",
        "59100 roubaix",
        "mon code postal est le 69003",
        "c'est 13008",
        "1",
        "2 ou 3",
        "j'ai reçu 3 courriers",
        "j'ai fait 2 missions",
        "combien pour 2 semaines",
        "je vais toucher combien ce mois ci",
        "j'ai un salaire",
        "un contrat neuf",
        "mail: jean.dupont1200@example.com",
        "",
    ],
)
def test_not_amounts(text: str) -> None:
    assert amounts(text) == []


def test_amount_values_are_decimal_strings() -> None:
    for entity in extract_amounts("1 200,5 € puis 1,2k et huit cents balles"):
        assert isinstance(entity["value"], str)
        assert Decimal(entity["value"]) == Decimal(entity["value"]).quantize(Decimal("0.01"))
        assert entity["value"].count(".") == 1 and len(entity["value"].split(".")[1]) == 2


# ----------------------------------------------------------------------- months
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("en décembre", [("2026-12", "décembre")]),
        ("combien en decembre", [("2026-12", "decembre")]),
        ("pour janvier 2025", [("2025-01", "janvier 2025")]),
        ("et pour janvier ?", [("2027-01", "janvier")]),
        ("en fevrier", [("2026-02", "fevrier")]),
        ("novembre 2026", [("2026-11", "novembre 2026")]),
        ("NOVEMBRE", [("2026-11", "NOVEMBRE")]),
        ("octobre", [("2026-10", "octobre")]),
        ("combien en mars", [("2026-03", "mars")]),
        ("d'ici mars", [("2027-03", "mars")]),
        ("jusqu'en janvier", [("2027-01", "janvier")]),
        ("à partir de février", [("2027-02", "février")]),
        ("depuis décembre", [("2025-12", "décembre")]),
        ("mars prochain", [("2027-03", "mars prochain")]),
        ("mars dernier", [("2026-03", "mars dernier")]),
        ("janv. 2025", [("2025-01", "janv. 2025")]),
        ("sept. 2025", [("2025-09", "sept. 2025")]),
        ("du mois d'août", [("2026-08", "août")]),
        ("pour 03/2025", [("2025-03", "03/2025")]),
        ("le 5 décembre", [("2026-12", "décembre")]),
        ("je ne touche rien en mars", [("2026-03", "mars")]),
        ("on ne le verse pas en décembre ?", [("2026-12", "décembre")]),
        ("le mois prochain", [("2026-12", "le mois prochain")]),
        ("et le mois qui vient", [("2026-12", "le mois qui vient")]),
        ("le mois dernier", [("2026-10", "le mois dernier")]),
        ("le mois passé", [("2026-10", "le mois passé")]),
        ("ce mois-ci", [("2026-11", "ce mois-ci")]),
        ("et ce mois ci ?", [("2026-11", "ce mois ci")]),
        ("quelles sont les dates de declaration pour ce mois", [("2026-11", "ce mois")]),
        ("et dans deux mois ?", [("2027-01", "dans deux mois")]),
        ("il y a 3 mois", [("2026-08", "il y a 3 mois")]),
        ("y a six mois", [("2026-05", "y a six mois")]),
        (
            "pq j'ai eu moins en octobre qu'en septembre",
            [("2026-10", "octobre"), ("2026-09", "septembre")],
        ),
        (
            "j'ai signé ma rupture le mois dernier, combien je touche en janvier",
            [("2026-10", "le mois dernier"), ("2027-01", "janvier")],
        ),
    ],
)
def test_months(text: str, expected: list[tuple[str, str]]) -> None:
    assert months(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ce mois là",
        "le mois d'après",
        "et pour les mois suivants ?",
        "combien par mois",
        "né le 3 mars 1980",
        "je suis né en mars",
        "née le 3 mars",
        "ma date de naissance : 4 juin",
        "15 janvier 1978",
        "avril 2019",
        "le 12/03/1985",
        "sept euros",
        "mais pourquoi",
        "maintenant",
        "depuis six mois",
    ],
)
def test_not_months(text: str) -> None:
    assert months(text) == []


def test_month_rule_over_a_whole_year() -> None:
    today = date(2026, 11, 22)
    resolved = {month: resolve_month(month, today) for month in range(1, 13)}
    assert resolved == {
        1: "2027-01",
        2: "2026-02",
        3: "2026-03",
        4: "2026-04",
        5: "2026-05",
        6: "2026-06",
        7: "2026-07",
        8: "2026-08",
        9: "2026-09",
        10: "2026-10",
        11: "2026-11",
        12: "2026-12",
    }


@pytest.mark.parametrize(
    ("month", "hint", "expected"),
    [
        (11, "next", "2027-11"),
        (12, "next", "2026-12"),
        (11, "last", "2025-11"),
        (10, "last", "2026-10"),
        (11, "from", "2026-11"),
        (10, "from", "2027-10"),
        (11, "since", "2026-11"),
        (12, "since", "2025-12"),
    ],
)
def test_month_rule_hints(month: int, hint: str, expected: str) -> None:
    assert resolve_month(month, date(2026, 11, 22), hint) == expected


def test_month_rule_across_new_year(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOCBOT_TODAY", "2027-01-10")
    assert months("décembre, février, mars, avril et le mois dernier") == [
        ("2026-12", "décembre"),
        ("2027-02", "février"),
        ("2027-03", "mars"),
        ("2026-04", "avril"),
        ("2026-12", "le mois dernier"),
    ]


def test_future_months_window_is_configurable(graph_args) -> None:
    wide = FrenchEntityExtractor.create({"future_months": 4}, *graph_args)
    message = Message(data={TEXT: "combien en mars"})
    wide.process([message])
    assert [e["value"] for e in message.get(ENTITIES)] == ["2027-03"]


# -------------------------------------------------------------------- component
def test_extractor_entities_in_the_original_text(extractor) -> None:
    text = "Cb jvais toucher en Décembre si je gagne 1 200 € brut ?"
    message = Message(data={TEXT: text})
    extractor.process([message])
    assert message.get(ENTITIES) == [
        {
            "entity": "month",
            "value": "2026-12",
            "start": 20,
            "end": 28,
            "confidence": 1.0,
            "extractor": "FrenchEntityExtractor",
        },
        {
            "entity": "amount",
            "value": "1200.00",
            "start": 41,
            "end": 48,
            "confidence": 1.0,
            "extractor": "FrenchEntityExtractor",
        },
    ]
    assert text[20:28] == "Décembre" and text[41:48] == "1 200 €"
    assert message.get(TEXT) == text


def test_extractor_keeps_other_entities_and_reads_text_not_tokens(tokenizer, normalizer, extractor) -> None:
    text = "slt, jsp cb je vais avoir en fevrier"
    message = normalized_message(text, tokenizer, normalizer)
    message.set(ENTITIES, [{"entity": "other", "value": "x", "start": 0, "end": 3}])
    extractor.process([message])
    entities = message.get(ENTITIES)
    assert entities[0]["entity"] == "other"
    assert [(e["entity"], text[e["start"] : e["end"]]) for e in entities[1:]] == [("month", "fevrier")]


def test_extractor_on_empty_and_missing_text(extractor) -> None:
    empty, missing = Message(data={TEXT: ""}), Message(data={})
    extractor.process([empty, missing])
    assert empty.get(ENTITIES) == [] and missing.get(ENTITIES) == []


def test_huge_message_is_handled_quickly(extractor) -> None:
    text = "je gagne 800 euros en mars " * 10_000
    message = Message(data={TEXT: text})
    started = time.perf_counter()
    extractor.process([message])
    assert time.perf_counter() - started < 2
    assert message.get(ENTITIES)


@given(st.text(max_size=300))
def test_any_text_gives_well_formed_entities(text: str) -> None:
    for entity in extract_amounts(text) + extract_months(text):
        assert 0 <= entity["start"] < entity["end"] <= len(text)
        if entity["entity"] == "amount":
            assert Decimal(entity["value"]) >= 0
        else:
            assert len(entity["value"]) == 7 and entity["value"][4] == "-"


@given(st.decimals(min_value=0, max_value=9_999_999, places=2), st.sampled_from(["€", " €", " euros", " EUR"]))
def test_written_amount_round_trip(value: Decimal, currency: str) -> None:
    written = f"{abs(value):.2f}"
    text = f"je gagne {written.replace('.', ',')}{currency}"
    assert [e["value"] for e in extract_amounts(text)] == [written]


# --------------------------------------------------------------- whole pipeline
EXTRACTOR = "bot.nlu.entities.FrenchEntityExtractor"
EXAMPLES = {
    "ask_allowance_amount": ["cb je touche", "cb pour l'alloc en décembre"],
    "ask_payment_date": ["qd arrive le virement", "c'est quand le paiement"],
}


def test_normalizer_must_come_after_a_tokenizer() -> None:
    from rasa.engine.exceptions import GraphSchemaValidationException
    from rasa.engine.validation import validate
    from rasa.shared.data import TrainingType

    config = pipeline.config(EXTRACTOR)
    components = config["pipeline"]
    config["pipeline"] = [components[1], components[0], *components[2:]]
    model_configuration = DefaultV1Recipe().graph_config_for_recipe(config, {}, TrainingType.NLU)
    with pytest.raises(GraphSchemaValidationException, match="require a Tokenizer.*FrenchTextNormalizer"):
        validate(model_configuration)


async def test_trained_pipeline_keeps_the_person_s_words(tmp_path: Path) -> None:
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage

    model = pipeline.train(tmp_path, [EXTRACTOR], EXAMPLES)

    # The featurizer was trained on the normalised words, not on the SMS spelling.
    with tarfile.open(model) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("vocabularies.json"))
        vocabulary = json.load(archive.extractfile(member))
    words = set(json.dumps(vocabulary).replace('"', " ").split())
    assert {"combien", "quand", "allocation"} <= words
    assert not {"cb", "qd", "alloc"} & words

    agent = Agent.load(model)
    text = "Jsp cb l'ARE va me verser en Décembre, j'gagne 1 200 €"
    parsed = await agent.parse_message(text)
    assert parsed["text"] == text
    assert [(e["entity"], e["value"], text[e["start"] : e["end"]]) for e in parsed["entities"]] == [
        ("month", "2026-12", "Décembre"),
        ("amount", "1200.00", "1 200 €"),
    ]
    assert parsed["text_tokens"][:4] == [(0, 3), (0, 3), (0, 3), (4, 6)]  # "jsp" -> je sais pas

    # What the tracker stores is what the person wrote.
    tracker = await agent.processor.log_message(UserMessage(text, sender_id="transcript-test"))
    uttered = tracker.latest_message
    assert uttered.text == text
    assert uttered.parse_data["text"] == text
    assert [e["value"] for e in uttered.entities] == ["2026-12", "1200.00"]


def test_cv_errors_lists_only_the_misclassified_training_examples() -> None:
    from bot.cli.evaluate import cv_errors

    predictions = [
        {"expected": "deny", "predicted": "affirm", "confidence": 0.74, "text": "pas d'accord"},
        {"expected": "deny", "predicted": "deny", "confidence": 0.9, "text": "non"},
        {"expected": "affirm", "predicted": "thank", "confidence": 0.5, "text": "ok merci"},
    ]
    assert cv_errors(predictions) == ["  affirm → thank (0.50) : ok merci", "  deny → affirm (0.74) : pas d'accord"]
