"""The floor: the trained model's own prediction time, in process, without HTTP or actions.

``python -m bot.bench.floor MODEL CONVERSATIONS.json OUT.json`` loads the model
with Rasa's ``load_agent`` (no action server, in-memory trackers), then for
every turn of the given conversations times the NLU (``parse_message``) and
the policies: predictions until ``action_listen``, each predicted action
logged on the tracker without being run (custom actions are not executed, so
a turn costs at most ten predictions). What a message costs end to end
divided by this is the price of HTTP, the action server, the backend and
the tracker store. Run in its own process so that the benchmark's client
stays light, and one model at a time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import statistics
import sys
import time
import uuid
from pathlib import Path

MAX_PREDICTIONS_PER_TURN = 10


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


async def measure(model: str, conversations: list[list[str]]) -> dict:
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted, UserUttered

    started = time.perf_counter()
    agent = await load_agent(model_path=model)
    load_seconds = time.perf_counter() - started
    processor = agent.processor
    domain = processor.domain
    parse_ms, predict_ms, total_ms, predictions = [], [], [], []
    # The first conversation warms caches up (lazy imports, first graph run) and is not counted.
    for number, texts in enumerate([conversations[0], *conversations]):
        tracker = await processor.fetch_tracker_and_update_session(f"floor-{uuid.uuid4()}")
        for text in texts:
            t0 = time.perf_counter()
            parsed = await processor.parse_message(UserMessage(text, sender_id=tracker.sender_id), tracker)
            t1 = time.perf_counter()
            tracker.update(UserUttered(text, parsed["intent"], parsed["entities"], parsed), domain)
            count = 0
            while count < MAX_PREDICTIONS_PER_TURN:
                prediction = processor._predict_next_with_tracker(tracker)
                count += 1
                action = domain.action_names_or_texts[prediction.max_confidence_index]
                tracker.update(ActionExecuted(action, prediction.policy_name, prediction.max_confidence))
                if action == ACTION_LISTEN_NAME:
                    break
            t2 = time.perf_counter()
            if number == 0:
                continue
            parse_ms.append((t1 - t0) * 1000)
            predict_ms.append((t2 - t1) * 1000)
            total_ms.append((t2 - t0) * 1000)
            predictions.append(count)
    figures = {
        "model": model,
        "load_s": load_seconds,
        "turns": len(total_ms),
        "predictions_per_turn": statistics.mean(predictions),
    }
    for name, values in (("nlu", parse_ms), ("policies", predict_ms), ("total", total_ms)):
        figures[name] = {
            "p50_ms": _percentile(values, 0.5),
            "p95_ms": _percentile(values, 0.95),
            "p99_ms": _percentile(values, 0.99),
            "mean_ms": statistics.mean(values),
        }
    return figures


def main(argv: list[str]) -> int:
    model, conversations_path, out_path = argv
    logging.basicConfig(level=logging.WARNING)
    conversations = json.loads(Path(conversations_path).read_text())
    figures = asyncio.run(measure(model, conversations))
    Path(out_path).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
