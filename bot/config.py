"""Kept so that code not yet moved keeps working: the settings live in ``bot.common.config``."""

from bot.common.config import PLACEHOLDER, PROJECT_ROOT, Settings, load_settings, required

__all__ = ["PLACEHOLDER", "PROJECT_ROOT", "Settings", "load_settings", "required"]
