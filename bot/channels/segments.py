"""SMS text: GSM-7 / UCS-2 segment arithmetic, sentence-boundary splitting, numbered choices.

An SMS segment holds 160 GSM-7 characters (153 when the message is split, the
rest carrying the concatenation header) or 70 UCS-2 code units (67 when split).
Characters of the GSM-7 extension table (``€``, ``[``, ``{``...) take two
septets, and a single character outside GSM-7 (``ê``, ``ç``, ``«``) turns the
whole message into UCS-2, which halves its room. We therefore:

* replace the typographic characters that have a plain equivalent (curly
  apostrophes, guillemets, non-breaking spaces, ellipsis) -- French accents are
  kept: a counsellor would not sign "vous etes";
* split a long answer into messages of at most ``max_segments`` segments each,
  at sentence boundaries, falling back to word boundaries, never inside a word
  (a single word longer than a whole message, e.g. a long link, is the only
  thing ever cut);
* render buttons as numbered choices, and read "1", "2"... back as the button.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67

_PLAIN = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2007": " ",
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
        "\u2026": "...",
    }
)
_GUILLEMETS = re.compile(r"«\s*|\s*»")
_SENTENCE_END = re.compile(r"((?<=[.!?…])\s+|\s*\n\s*)")


def plain_text(text: str) -> str:
    """Typographic characters replaced by their GSM-7 equivalents; accents kept."""
    return _GUILLEMETS.sub('"', unicodedata.normalize("NFC", text)).translate(_PLAIN)


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def _units(ch: str, gsm: bool) -> int:
    if gsm:
        return 2 if ch in GSM7_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1  # UTF-16 code units: an emoji takes two


@dataclass(frozen=True)
class SegmentInfo:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def segment_info(text: str) -> SegmentInfo:
    """How the network will carry ``text``: encoding, length and number of segments."""
    gsm = is_gsm7(text)
    single, multi = (GSM7_SINGLE, GSM7_MULTI) if gsm else (UCS2_SINGLE, UCS2_MULTI)
    units = sum(_units(ch, gsm) for ch in text)
    if units <= single:
        return SegmentInfo("GSM-7" if gsm else "UCS-2", units, 1 if text else 0)
    # Packed character by character: an escape pair or a surrogate pair is never cut in two.
    segments, used = 1, 0
    for ch in text:
        size = _units(ch, gsm)
        if used + size > multi:
            segments, used = segments + 1, 0
        used += size
    return SegmentInfo("GSM-7" if gsm else "UCS-2", units, segments)


def fits(text: str, max_segments: int) -> bool:
    return segment_info(text).segments <= max_segments


def _pack(pieces: list[str], max_segments: int) -> list[str]:
    """Greedily join consecutive pieces (each keeping its trailing separator) into messages that fit."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = current + piece
        if fits(candidate.strip(), max_segments):
            current = candidate
            continue
        if current.strip():
            chunks.append(current.strip())
        current = piece
        if not fits(piece.strip(), max_segments):
            current = ""
            chunks.extend(_split_sentence(piece.strip(), max_segments))
    if current.strip():
        chunks.append(current.strip())
    return chunks


def _split_sentence(sentence: str, max_segments: int) -> list[str]:
    words = [w + " " for w in sentence.split(" ") if w]
    chunks: list[str] = []
    current = ""
    for word in words:
        if fits((current + word).strip(), max_segments):
            current += word
            continue
        if current.strip():
            chunks.append(current.strip())
        current = word
        if not fits(word.strip(), max_segments):
            current = ""
            chunks.extend(_cut_word(word.strip(), max_segments))
    if current.strip():
        chunks.append(current.strip())
    return chunks


def _cut_word(word: str, max_segments: int) -> list[str]:
    """The last resort for a word longer than a whole message (a long link)."""
    chunks, current = [], ""
    for ch in word:
        if current and not fits(current + ch, max_segments):
            chunks.append(current)
            current = ""
        current += ch
    return chunks + ([current] if current else [])


def split_sms(text: str, max_segments: int = 1) -> list[str]:
    """``text`` as SMS bodies of at most ``max_segments`` segments each, cut between sentences.

    Empty or blank text gives no message at all.
    """
    if max_segments < 1:
        raise ValueError("max_segments must be at least 1")
    text = plain_text(text).strip()
    if not text:
        return []
    parts = _SENTENCE_END.split(text)
    # parts alternates sentence, separator, sentence...: keep each separator with its sentence
    pieces = [parts[i] + (parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]
    return _pack([p for p in pieces if p.strip()], max_segments)


def numbered_choices(text: str, buttons: list[dict]) -> tuple[str, list[str]]:
    """Buttons as "1. Oui\\n2. Non" under the text; returns the text and the payloads in order."""
    lines = [text.strip()] if text and text.strip() else []
    payloads = []
    for number, button in enumerate(buttons, start=1):
        title = str(button.get("title") or button.get("payload") or "").strip()
        lines.append(f"{number}. {title}")
        payloads.append(str(button.get("payload") or title))
    if buttons:
        lines.append("Répondez par le numéro de votre choix.")
    return "\n".join(lines), payloads


_CHOICE = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def chosen_payload(reply: str, payloads: list[str]) -> str | None:
    """The payload a reply "1", "2." or " 3) " designates among the last choices; None otherwise."""
    match = _CHOICE.match(reply or "")
    if not match or not payloads:
        return None
    index = int(match.group(1)) - 1
    return payloads[index] if 0 <= index < len(payloads) else None
