"""Local stand-ins for third-party SaaS (Twilio, Meta), speaking their wire formats."""
