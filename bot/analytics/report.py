"""``python -m bot.analytics report --from 2026-11-01 --to 2026-11-30 [--out DIR]``: HTML, PNG and CSV.

Writes into ``DIR`` (default ``results/analytics/<from>_<to>``): ``index.html`` (the
tables, the charts, the gains and costs, self-contained but for the PNG files next
to it), one PNG per chart and one CSV per table. Ingests the closed conversations first.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.analytics.presenting import CHARTS, bundle, chart_bytes, csv_files, fragment
from bot.analytics.store import create_analytics_engine

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>allocbot — indicateurs du {start} au {end}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 72rem; margin: 1rem auto; padding: 0 1rem; color: #111; }}
table {{ border-collapse: collapse; margin: 1rem 0; }} th, td {{ border: 1px solid #444; padding: .25rem .5rem; }}
td {{ text-align: right; }} caption {{ text-align: left; font-weight: bold; }} .of, .caveat {{ color: #333; }}
dl.figures div {{ display: flex; gap: .5rem; }} dt {{ font-weight: bold; }} dd {{ margin: 0; }}
img {{ max-width: 100%; }}
</style></head>
<body><h1>allocbot — ce que l'assistant apporte</h1>
<p>Période du {start} au {end} ; données : le magasin d'analyse (faits de conversation, sans identifiant ni texte).</p>
{body}
</body></html>
"""


def write_report(start: date, end: date, out: Path, engine=None) -> list[Path]:
    engine = engine or create_analytics_engine()
    data = bundle(engine, start, end)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in CHARTS:
        path = out / f"{name}.png"
        path.write_bytes(chart_bytes(data, name, "png"))
        written.append(path)
    for name, text in csv_files(data).items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    html = PAGE.format(start=start.isoformat(), end=end.isoformat(), body=fragment(data, lambda name: f"{name}.png"))
    index = out / "index.html"
    index.write_text(html, encoding="utf-8")
    written.append(index)
    return written
