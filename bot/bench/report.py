"""The benchmark's outputs: ratios, goals, JSON, a Markdown table and a latency plot.

Everything is derived from the one ``results`` dict the benchmark command
builds, so that the JSON, the table and the plot can never disagree.
"""

from __future__ import annotations

import json
from pathlib import Path

OURS, STOCK = "allocbot", "stock"


def scenario_key(summary: dict) -> str:
    if summary["scenario"] == "closed":
        return f"closed N={summary['concurrency']}"
    return f"open {summary['offered_rate']:g} msg/s"


def _ratio(ours: float | None, stock: float | None) -> float | None:
    if ours is None or not stock:
        return None
    return round(ours / stock, 2)


def ratios(scenarios: list[dict]) -> list[dict]:
    """allocbot / stock for every scenario both systems ran (latency: < 1 is better; throughput: > 1)."""
    stock = {scenario_key(s): s for s in scenarios if s["system"] == STOCK}
    rows = []
    for ours in (s for s in scenarios if s["system"] == OURS):
        theirs = stock.get(scenario_key(ours))
        if theirs:
            rows.append(
                {
                    "scenario": scenario_key(ours),
                    **{k: _ratio(ours[k], theirs[k]) for k in ("p50_ms", "p95_ms", "p99_ms", "throughput_msg_s")},
                }
            )
    return rows


def floor_ratios(scenarios: list[dict], floor: dict) -> list[dict]:
    """End-to-end latency divided by the in-process prediction time of the same model."""
    rows = []
    for summary in scenarios:
        base = floor.get(summary["system"], {}).get("total")
        if base and summary["p50_ms"] is not None:
            rows.append(
                {
                    "system": summary["system"],
                    "scenario": scenario_key(summary),
                    "p50": round(summary["p50_ms"] / base["p50_ms"], 1),
                    "p95": round(summary["p95_ms"] / base["p95_ms"], 1),
                }
            )
    return rows


def _find(scenarios: list[dict], system: str, key: str) -> dict | None:
    return next((s for s in scenarios if s["system"] == system and scenario_key(s) == key), None)


# Issue 21's reference, measured before its work (commit faf53e7): "no worse than today".
REFERENCE_RASA_MB = 813
REFERENCE_READY_S = 19.4


def goals(results: dict) -> list[dict]:
    """The goals of issues 21 and 22, each with what was measured and whether it is met (None: not measured)."""
    scenarios = results["scenarios"]
    rows = []

    def add(goal: str, measured: str, met: bool | None) -> None:
        rows.append({"goal": goal, "measured": measured, "met": met})

    def throughput(system: str, key: str) -> float | None:
        found = _find(scenarios, system, key)
        return found["throughput_msg_s"] if found else None

    def p95(system: str, key: str) -> float | None:
        found = _find(scenarios, system, key)
        return found["p95_ms"] if found else None

    ours50, ours100 = throughput(OURS, "closed N=50"), throughput(OURS, "closed N=100")
    stock50, stock100 = throughput(STOCK, "closed N=50"), throughput(STOCK, "closed N=100")
    if ours100 is not None and ours50 is not None and stock100:
        add(
            "closed N=100 throughput ≥ N=50's and ≥ 1.5 × stock's",
            f"{ours100:.1f} msg/s (N=50 {ours50:.1f}; stock {stock100:.1f}, {ours100 / stock100:.2f}×)",
            ours100 >= ours50 and ours100 >= 1.5 * stock100,
        )
    else:
        add("closed N=100 throughput ≥ N=50's and ≥ 1.5 × stock's", "not run", None)
    ours_p95, stock_p95 = p95(OURS, "closed N=100"), p95(STOCK, "closed N=100")
    if ours_p95 is not None and stock_p95 is not None:
        add("closed N=100 p95 ≤ stock's", f"{_ms(ours_p95)} vs {_ms(stock_p95)}", ours_p95 <= stock_p95)
    else:
        add("closed N=100 p95 ≤ stock's", "not run", None)
    steady = next((s for s in scenarios if s["system"] == OURS and s["scenario"] == "open"), None)
    steady_stock = next((s for s in scenarios if s["system"] == STOCK and s["scenario"] == "open"), None)
    if steady and steady_stock:
        ours_cpu, stock_cpu = sum(steady["cpu_ms_per_msg"].values()), sum(steady_stock["cpu_ms_per_msg"].values())
        add(
            f"open {steady['offered_rate']:g} msg/s: CPU per message ≤ stock's, p95 ≤ 150 ms",
            f"{ours_cpu:.0f} vs {stock_cpu:.0f} ms CPU; p95 {_ms(steady['p95_ms'])}, {steady['errors']} errors",
            ours_cpu <= stock_cpu and steady["p95_ms"] is not None and steady["p95_ms"] <= 150,
        )
    else:
        add("open 15 msg/s: CPU per message ≤ stock's, p95 ≤ 150 ms", "not run", None)
    if ours50 is not None and stock50:
        add(
            "closed N=50 throughput ≥ 2.5 × stock's",
            f"{ours50:.1f} vs {stock50:.1f} msg/s ({ours50 / stock50:.2f}×)",
            ours50 >= 2.5 * stock50,
        )
    else:
        add("closed N=50 throughput ≥ 2.5 × stock's", "not run", None)
    one = _find(scenarios, OURS, "closed N=1")
    floor = results["floor"].get(OURS, {}).get("total")
    if one and floor and one["p50_ms"] is not None:
        ratio = one["p50_ms"] / floor["p50_ms"]
        add(
            "closed N=1 p50 ≤ 3 × the floor",
            f"{_ms(one['p50_ms'])} / {floor['p50_ms']:.1f} ms = {ratio:.1f}×",
            ratio <= 3,
        )
    else:
        add("closed N=1 p50 ≤ 3 × the floor", "not run", None)
    rasa_mb = results["memory_mb"].get(OURS, {}).get("rasa")
    if rasa_mb is not None:
        add(
            f"Rasa server memory no worse than before issue 21 ({REFERENCE_RASA_MB} MB)",
            f"{rasa_mb:.0f} MB",
            rasa_mb <= REFERENCE_RASA_MB,
        )
    cold = results["cold_start"]
    if OURS in cold:
        add(
            f"cold start no worse than before issue 21 ({REFERENCE_READY_S} s)",
            f"{cold[OURS]['ready_s']:.1f} s" + (f" (stock {cold[STOCK]['ready_s']:.1f} s)" if STOCK in cold else ""),
            cold[OURS]["ready_s"] <= REFERENCE_READY_S,
        )
    training = results["training"].get(OURS)
    if training and training.get("seconds") is not None:
        add("full training ≤ 5 minutes", f"{training['seconds']:.0f} s ({training['how']})", training["seconds"] <= 300)
    rows += scaled_goals(scenarios)
    return rows


def scaled_goals(scenarios: list[dict]) -> list[dict]:
    """Issue 22's goals on the scaled topology (``--scaled``): p95 at N=100, no loss at N=200, two ≥ one."""
    one, two = "scaled-1", "scaled-2"
    rows: list[dict] = []
    stock100 = _find(scenarios, STOCK, "closed N=100")
    two100 = _find(scenarios, two, "closed N=100")
    if not two100:
        return [{"goal": "scaled topology (two replicas)", "measured": "not run", "met": None}]
    if stock100 and two100["p95_ms"] is not None and stock100["p95_ms"] is not None:
        rows.append(
            {
                "goal": "two replicas, closed N=100: p95 ≤ stock's",
                "measured": f"{_ms(two100['p95_ms'])} vs {_ms(stock100['p95_ms'])}",
                "met": two100["p95_ms"] <= stock100["p95_ms"],
            }
        )
    two200 = _find(scenarios, two, "closed N=200")
    if two200:
        rows.append(
            {
                "goal": "two replicas, closed N=200: 0 errors, 0 lost messages",
                "measured": f"{two200['errors']} errors ({two200['error_kinds'] or 'none'}) in {two200['turns']} turns",
                "met": two200["errors"] == 0,
            }
        )
    pairs = [
        (key, _find(scenarios, one, key), _find(scenarios, two, key))
        for key in sorted({scenario_key(s) for s in scenarios if s["system"] == two})
    ]
    pairs = [(key, a, b) for key, a, b in pairs if a and b]
    if pairs:
        rows.append(
            {
                "goal": "throughput with two replicas ≥ one replica's",
                "measured": "; ".join(
                    f"{key}: {b['throughput_msg_s']:.1f} vs {a['throughput_msg_s']:.1f} msg/s" for key, a, b in pairs
                ),
                "met": all(b["throughput_msg_s"] >= a["throughput_msg_s"] for _, a, b in pairs),
            }
        )
    return rows


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} ms"


def _num(value: float | None, fmt: str = "{:.2f}") -> str:
    return "—" if value is None else fmt.format(value)


def _rasa_share(by_process: dict[str, float]) -> float | None:
    """The Rasa server's figure: ``rasa``, or the sum of the replicas ``rasa1``, ``rasa2``… of the scaled topology."""
    values = [v for name, v in by_process.items() if name == "rasa" or (name[:4] == "rasa" and name[4:].isdigit())]
    return sum(values) if values else None


def markdown(results: dict) -> str:
    meta = results["meta"]
    lines = [
        f"# allocbot benchmark — {meta['started_at']}",
        "",
        f"Machine: {meta['cpus']} CPUs, {meta['memory_gb']} GB; load average before the run "
        f"{meta['load_before']}, after {meta['load_after']}. Rasa {meta['rasa_version']}, "
        f"commit {meta['commit']}. Command: `{meta['command']}`.",
        "",
    ]
    if meta.get("note"):
        lines += [f"> {meta['note']}", ""]
    lines += ["## Goals", "", "| goal | measured | met |", "|---|---|---|"]
    for goal in results["goals"]:
        met = {True: "yes", False: "**no**", None: "—"}[goal["met"]]
        lines.append(f"| {goal['goal']} | {goal['measured']} | {met} |")
    lines += [
        "",
        "## Load over the REST channel",
        "",
        "Five turns per conversation, one `httpx.AsyncClient` for both systems. Closed loop: N people "
        "talking back to back; open loop: Poisson arrivals of conversations, 1–3 s pause between turns. "
        "Turns started during the warm-up are not counted.",
        "",
        "CPU per message is the CPU time the system's processes used during the scenario divided by "
        "the turns answered: unlike latency, it hardly depends on what else the machine runs.",
        "",
        "| scenario | system | turns | p50 | p95 | p99 | msg/s | errors | CPU ms/msg (Rasa / all) "
        "| peak MB (Rasa / all) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    memory = results["memory_mb"]
    for summary in results["scenarios"]:
        mem = memory.get(summary["system"], {})
        rasa = _rasa_share(mem)
        total = sum(mem.values()) if mem else None
        cpu = summary.get("cpu_ms_per_msg") or {}
        cpu_text = f"{_num(_rasa_share(cpu), '{:.0f}')} / {_num(sum(cpu.values()) if cpu else None, '{:.0f}')}"
        lines.append(
            f"| {scenario_key(summary)} | {summary['system']} | {summary['turns']} | {_ms(summary['p50_ms'])} | "
            f"{_ms(summary['p95_ms'])} | {_ms(summary['p99_ms'])} | {summary['throughput_msg_s']:.1f} | "
            f"{summary['errors']} ({summary['error_rate']:.1%}) | {cpu_text} | "
            f"{_num(rasa, '{:.0f}')} / {_num(total, '{:.0f}')} |"
        )
    lines += [
        "",
        "## allocbot / stock Rasa",
        "",
        "Latency ratios below 1 and throughput ratios above 1 favour allocbot.",
        "",
        "| scenario | p50 | p95 | p99 | msg/s |",
        "|---|---|---|---|---|",
    ]
    for row in results["ratios"]:
        lines.append(
            f"| {row['scenario']} | {_num(row['p50_ms'])} | {_num(row['p95_ms'])} | {_num(row['p99_ms'])} | "
            f"{_num(row['throughput_msg_s'])} |"
        )
    lines += [
        "",
        "## Floor: the model alone, in process",
        "",
        "NLU + policies per turn, no HTTP, no action server (`bot/bench/floor.py`).",
        "",
        "| system | load | NLU p50 | policies p50 | turn p50 | turn p95 | predictions / turn |",
        "|---|---|---|---|---|---|---|",
    ]
    for system, floor in results["floor"].items():
        lines.append(
            f"| {system} | {floor['load_s']:.1f} s | {floor['nlu']['p50_ms']:.1f} ms | "
            f"{floor['policies']['p50_ms']:.1f} ms | {floor['total']['p50_ms']:.1f} ms | "
            f"{floor['total']['p95_ms']:.1f} ms | {floor['predictions_per_turn']:.1f} |"
        )
    if results["floor_ratios"]:
        lines += ["", "End to end / floor:", "", "| system | scenario | p50 | p95 |", "|---|---|---|---|"]
        for row in results["floor_ratios"]:
            lines.append(f"| {row['system']} | {row['scenario']} | {row['p50']}× | {row['p95']}× |")
    lines += [
        "",
        "## Memory, cold start, training",
        "",
        "| system | process | peak RSS (MB, with children) |",
        "|---|---|---|",
    ]
    for system, processes in memory.items():
        for name, mb in processes.items():
            lines.append(f"| {system} | {name} | {mb:.0f} |")
    lines += ["", "| system | cold start to ready | training |", "|---|---|---|"]
    for system, cold in results["cold_start"].items():
        training = results["training"].get(system)
        train_text = f"{training['seconds']:.0f} s ({training['how']})" if training else "—"
        detail = cold.get("detail", "")
        lines.append(f"| {system} | {cold['ready_s']:.1f} s {detail} | {train_text} |")
    lines += ["", "![p50 and p95 latency against concurrency](latency.png)", ""]
    return "\n".join(lines)


def plot(results: dict, path: Path) -> None:
    """p50 and p95 per turn against the number of concurrent conversations, both systems."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 4.5), dpi=120)
    styles = {OURS: "tab:blue", STOCK: "tab:orange"}
    for system, color in styles.items():
        closed = sorted(
            (
                s
                for s in results["scenarios"]
                if s["system"] == system and s["scenario"] == "closed" and s["p50_ms"] is not None
            ),
            key=lambda s: s["concurrency"],
        )
        if not closed:
            continue
        xs = [s["concurrency"] for s in closed]
        axis.plot(xs, [s["p95_ms"] for s in closed], "-o", color=color, label=f"{system} p95")
        axis.plot(xs, [s["p50_ms"] for s in closed], "--o", color=color, alpha=0.7, label=f"{system} p50")
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("concurrent conversations, no pause between turns (N)")
    axis.set_ylabel("latency per turn (ms)")
    axis.set_title(f"allocbot vs stock Rasa — {results['meta']['started_at'][:16]}")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def write(results: dict, out_dir: Path, stamp: str) -> list[Path]:
    """latest.{json,md,png} and a dated copy of each, in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("latest", stamp):
        json_path, md_path, png_path = (out_dir / f"{name}.{ext}" for ext in ("json", "md", "png"))
        json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        text = markdown(results)
        if name != "latest":
            text = text.replace("(latency.png)", f"({png_path.name})")
        md_path.write_text(text)
        plot(results, png_path)
        written += [json_path, md_path, png_path]
    # The README and the latest table name the plot latency.png.
    latest_png = out_dir / "latest.png"
    (out_dir / "latency.png").write_bytes(latest_png.read_bytes())
    latest_png.unlink()
    written = [p for p in written if p != latest_png] + [out_dir / "latency.png"]
    return written
