"""Kept so that code not yet moved keeps working: the clock lives in ``bot.common.clock``."""

from bot.common.clock import PARIS, now, today

__all__ = ["PARIS", "now", "today"]
