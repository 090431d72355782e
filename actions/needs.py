"""The needs the bot answers, as a person would name them (clarifying choices, ticket summaries)."""

from __future__ import annotations

NEED_LABELS = {
    "ask_allowance_amount": "Le montant de mon allocation",
    "ask_payment_date": "La date de mon prochain paiement",
    "report_missing_payment": "Un paiement que je n'ai pas reçu",
    "ask_amount_difference": "Un montant plus bas que d'habitude",
    "ask_rights_duration": "La durée de mes droits",
    "ask_declaration_window": "Les dates de l'actualisation",
    "check_declaration_status": "Si mon actualisation est bien passée",
    "report_missed_declaration": "J'ai oublié de m'actualiser",
    "ask_how_to_declare_work": "Comment déclarer mon travail",
    "simulate_earnings": "Ce que je toucherai si je travaille",
    "ask_overpayment": "Un trop-perçu",
    "contest_decision": "Contester une décision",
    "ask_human": "Parler à un conseiller",
    "request_data_deletion": "Effacer mes données",
    "ask_other_benefit": "Une autre aide (RSA, APL, CAF)",
    "express_distress": "Je suis en difficulté",
}
