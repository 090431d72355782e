"""The benchmark's parts: load client, conversations, memory sampling, stock Rasa, floor, report.

The command is ``bot.cli.bench``; see docs/performance.md.
"""
