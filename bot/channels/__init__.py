"""Channel connectors that Rasa loads from credentials.yml (web widget, SMS, WhatsApp)."""
