"""A message in another language: a short answer in that language (issue 20).

The assistant answers in French only. A person who writes in another language
(``bot/nlu/languages.py`` sets the ``language`` entity) is told so *in that
language*, with the way to a counsellor: the 3949, or the word « conseiller »
typed here, which hands the conversation over. Suicidal words or real distress
in another language take the usual urgent path (the 3114, or the 115 and the
CCAS, then the urgent ticket: ``data/rules/safety.yml``); this action says the
emergency numbers in that language first.

The wordings are short, in the polite form (arabizi without its digit-letters,
« 3 » for ع, so that the phone does not read them as numbers), and carry no figure of the file:
only the service numbers, the same in every language. Each one ends with the
same sentence in French, for a relative or a counsellor reading over the
person's shoulder. The phone renders them like any other answer
(``bot/channels/spoken.py``; ``tests/voice/test_other_languages.py``).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.common import needs

LANGUAGE_ENTITY = "language"
FALLBACK_LANGUAGE = "en"  # another script we have no wording for (Greek, Chinese…): English, then French

FRENCH_NOTE = (
    "Cet assistant répond en français. Pour parler à un conseiller : écrivez « conseiller » ou appelez le 3949."
)

# « speak »: the assistant answers in French; how to reach a counsellor.
SPEAK: dict[str, str] = {
    "en": (
        "Sorry, this assistant only answers in French. To talk to a France Travail counsellor, call 3949 "
        "(free service + the price of a call), or write « conseiller » here."
    ),
    "es": (
        "Lo siento, este asistente solo responde en francés. Para hablar con un asesor de France Travail, "
        "llame al 3949 (servicio gratuito + precio de la llamada) o escriba « conseiller » aquí."
    ),
    "pt": (
        "Desculpe, este assistente só responde em francês. Para falar com um conselheiro da France Travail, "
        "ligue para o 3949 (serviço gratuito + preço da chamada) ou escreva « conseiller » aqui."
    ),
    "it": (
        "Mi dispiace, questo assistente risponde solo in francese. Per parlare con un consulente di France "
        "Travail, chiami il 3949 (servizio gratuito + costo della chiamata) oppure scriva « conseiller » qui."
    ),
    "de": (
        "Entschuldigung, dieser Assistent antwortet nur auf Französisch. Für ein Gespräch mit einer Beraterin "
        "oder einem Berater von France Travail rufen Sie die 3949 an (kostenloser Dienst + Preis eines Anrufs) "
        "oder schreiben Sie hier « conseiller »."
    ),
    "tr": (
        "Üzgünüz, bu asistan yalnızca Fransızca yanıt veriyor. Bir France Travail danışmanıyla görüşmek için "
        "3949 numarasını arayın (ücretsiz hizmet + arama ücreti) ya da buraya « conseiller » yazın."
    ),
    "ro": (
        "Ne pare rău, acest asistent răspunde doar în limba franceză. Pentru a vorbi cu un consilier France "
        "Travail, sunați la 3949 (serviciu gratuit + prețul apelului) sau scrieți aici « conseiller »."
    ),
    "pl": (
        "Przepraszamy, ten asystent odpowiada tylko po francusku. Aby porozmawiać z doradcą France Travail, "
        "proszę zadzwonić pod numer 3949 (usługa bezpłatna + koszt połączenia) lub napisać tutaj « conseiller »."
    ),
    "ru": (
        "Извините, этот помощник отвечает только на французском языке. Чтобы поговорить с консультантом "
        "France Travail, позвоните по номеру 3949 (бесплатная услуга + стоимость звонка) или напишите здесь "
        "« conseiller »."
    ),
    "uk": (
        "Вибачте, цей помічник відповідає лише французькою мовою. Щоб поговорити з консультантом France "
        "Travail, зателефонуйте за номером 3949 (безкоштовна послуга + вартість дзвінка) або напишіть тут "
        "« conseiller »."
    ),
    "ar": (
        "عذرًا، هذا المساعد يجيب باللغة الفرنسية فقط. للتحدث مع مستشار من France Travail، اتصل بالرقم 3949 "
        "(خدمة مجانية + سعر المكالمة) أو اكتب « conseiller » هنا."
    ),
    "ar-latn": (
        "Smeh liya, had l'assistant kayjaweb ghir b lfransawiya (الفرنسية). Bach tehder maa conseiller dyal "
        "France Travail, ayyet l 3949 wla kteb « conseiller » hna."
    ),
}

# « suicidal »: the 3114 and the 112, then the French answer and the urgent ticket follow.
SUICIDAL: dict[str, str] = {
    "en": (
        "Your life matters. If you are thinking about suicide, call 3114 now: the national suicide prevention "
        "line, free, day and night. In immediate danger, call 112. A counsellor will also be told at once."
    ),
    "es": (
        "Su vida importa. Si piensa en el suicidio, llame ahora al 3114: la línea nacional de prevención del "
        "suicidio, gratuita, día y noche. En caso de peligro inmediato, llame al 112."
    ),
    "pt": (
        "A sua vida importa. Se está a pensar em suicídio, ligue já para o 3114: a linha nacional de prevenção "
        "do suicídio, gratuita, dia e noite. Em caso de perigo imediato, ligue para o 112."
    ),
    "it": (
        "La sua vita conta. Se pensa al suicidio, chiami subito il 3114: il numero nazionale di prevenzione del "
        "suicidio, gratuito, giorno e notte. In caso di pericolo immediato, chiami il 112."
    ),
    "de": (
        "Ihr Leben zählt. Wenn Sie an Suizid denken, rufen Sie sofort die 3114 an: die nationale Nummer für "
        "Suizidprävention, kostenlos, Tag und Nacht. Bei akuter Gefahr rufen Sie die 112 an."
    ),
    "tr": (
        "Hayatınız değerli. İntiharı düşünüyorsanız hemen 3114 numarasını arayın: ulusal intihar önleme hattı, "
        "ücretsiz, gece gündüz. Acil tehlike durumunda 112 numarasını arayın."
    ),
    "ro": (
        "Viața dumneavoastră contează. Dacă vă gândiți la sinucidere, sunați acum la 3114: linia națională de "
        "prevenire a sinuciderii, gratuită, zi și noapte. În caz de pericol imediat, sunați la 112."
    ),
    "pl": (
        "Twoje życie jest ważne. Jeśli myślisz o samobójstwie, zadzwoń teraz pod numer 3114: krajowa linia "
        "zapobiegania samobójstwom, bezpłatna, całą dobę. W razie bezpośredniego zagrożenia zadzwoń pod 112."
    ),
    "ru": (
        "Ваша жизнь важна. Если вы думаете о самоубийстве, позвоните сейчас по номеру 3114: национальная линия "
        "профилактики самоубийств, бесплатно, круглосуточно. При непосредственной опасности звоните 112."
    ),
    "uk": (
        "Ваше життя важливе. Якщо ви думаєте про самогубство, зателефонуйте зараз за номером 3114: національна "
        "лінія запобігання самогубствам, безкоштовно, цілодобово. У разі безпосередньої небезпеки телефонуйте 112."
    ),
    "ar": (
        "حياتك مهمة. إذا كنت تفكر في الانتحار، اتصل الآن بالرقم 3114، الخط الوطني للوقاية من الانتحار، مجاني، "
        "ليلًا ونهارًا. في حالة خطر فوري، اتصل بالرقم 112."
    ),
    "ar-latn": (
        "Hyatek mohimma. Ila kat fekker f l'intihar, ayyet daba l 3114, batel, lil w nhar. Ila kan khatar daba, "
        "ayyet l 112."
    ),
}

# « distress »: the CCAS and the 115, then the French answer and the urgent ticket follow.
DISTRESS: dict[str, str] = {
    "en": (
        "I am sorry you are going through this. For emergency help with food or housing, the social service of "
        "your town hall (CCAS) can see you, and 115 answers day and night for emergency shelter. In danger, "
        "call 112. A counsellor will also be told at once."
    ),
    "es": (
        "Siento mucho lo que está viviendo. Para una ayuda urgente (comida, alojamiento), el servicio social de "
        "su ayuntamiento (CCAS) puede recibirle, y el 115 responde día y noche para un alojamiento de urgencia. "
        "En caso de peligro, llame al 112."
    ),
    "pt": (
        "Lamento muito o que está a viver. Para uma ajuda urgente (alimentação, alojamento), o serviço social da "
        "sua câmara municipal (CCAS) pode recebê-lo, e o 115 atende dia e noite para alojamento de urgência. Em "
        "caso de perigo, ligue para o 112."
    ),
    "it": (
        "Mi dispiace molto per quello che sta vivendo. Per un aiuto urgente (cibo, alloggio), il servizio sociale "
        "del suo comune (CCAS) può riceverla, e il 115 risponde giorno e notte per un alloggio d'emergenza. In "
        "caso di pericolo, chiami il 112."
    ),
    "de": (
        "Es tut mir leid, dass Sie das durchmachen. Für dringende Hilfe (Essen, Unterkunft) empfängt Sie der "
        "Sozialdienst Ihres Rathauses (CCAS), und die 115 ist Tag und Nacht für eine Notunterkunft erreichbar. "
        "Bei Gefahr rufen Sie die 112 an."
    ),
    "tr": (
        "Yaşadıklarınız için çok üzgünüm. Acil yardım için (yiyecek, barınma) belediyenizin sosyal hizmetleri "
        "(CCAS) sizi kabul edebilir; acil barınma için 115 gece gündüz yanıt verir. Tehlike durumunda 112 "
        "numarasını arayın."
    ),
    "ro": (
        "Îmi pare rău pentru ceea ce treceți. Pentru ajutor urgent (hrană, locuință), serviciul social al "
        "primăriei (CCAS) vă poate primi, iar 115 răspunde zi și noapte pentru cazare de urgență. În caz de "
        "pericol, sunați la 112."
    ),
    "pl": (
        "Bardzo mi przykro z powodu tego, co przeżywasz. W sprawie pilnej pomocy (jedzenie, mieszkanie) przyjmie "
        "Cię pomoc społeczna w merostwie (CCAS), a numer 115 odpowiada całą dobę w sprawie schronienia. W razie "
        "zagrożenia zadzwoń pod 112."
    ),
    "ru": (
        "Мне очень жаль, что вам приходится это переживать. За срочной помощью (еда, жильё) обратитесь в "
        "социальную службу мэрии (CCAS); номер 115 круглосуточно помогает с экстренным жильём. В случае "
        "опасности звоните 112."
    ),
    "uk": (
        "Мені дуже шкода, що ви це переживаєте. По термінову допомогу (їжа, житло) зверніться до соціальної "
        "служби мерії (CCAS); номер 115 цілодобово допомагає з екстреним житлом. У разі небезпеки телефонуйте 112."
    ),
    "ar": (
        "يؤسفني ما تمر به. للحصول على مساعدة عاجلة (طعام، سكن)، يمكن للمصلحة الاجتماعية في بلديتك (CCAS) "
        "استقبالك، والرقم 115 يجيب ليلًا ونهارًا للإيواء العاجل. في حالة الخطر، اتصل بالرقم 112."
    ),
    "ar-latn": (
        "Smeh liya ala had lhala. L mousaada mostaajla (makla, sokna), service social dyal lbaladiya (CCAS) "
        "yqder ystaqblek, w 115 kayjaweb lil w nhar l sokna d urgence. Ila kan khatar, ayyet l 112."
    ),
}

WORDINGS: dict[str, dict[str, str]] = {"speak": SPEAK, "suicidal": SUICIDAL, "distress": DISTRESS}
KIND_OF_INTENT = {needs.SUICIDAL_THOUGHTS: "suicidal", needs.DISTRESS: "distress"}


def wording(kind: str, language: str) -> str:
    """The answer of ``kind`` (``speak``, ``suicidal``, ``distress``) in ``language``; English for a language
    without a wording."""
    table = WORDINGS[kind]
    text = table.get(language) or table[FALLBACK_LANGUAGE]
    return f"{text}\n{FRENCH_NOTE}" if kind == "speak" else text


def message_language(tracker: Tracker) -> str | None:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == LANGUAGE_ENTITY and entity.get("value"):
            return str(entity["value"])
    return None


class ActionAnswerOtherLanguage(Action):
    """The answer in the person's language: the assistant speaks French, the 3949; or the emergency numbers."""

    def name(self) -> str:
        return "action_answer_other_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        language = message_language(tracker) or FALLBACK_LANGUAGE
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        kind = KIND_OF_INTENT.get(str(intent), "speak")
        dispatcher.utter_message(text=wording(kind, language), metadata={"language": language})
        return []
