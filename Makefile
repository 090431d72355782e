# allocbot's two commands (see README.md). Both install what they need first.
.PHONY: run test unit shell train bench run-scaled

run:
	@./scripts/bootstrap
	@.venv/bin/python -m bot.cli.run

test:
	@./scripts/bootstrap
	@.venv/bin/python -m bot.cli.check

# Conveniences for counsellors and developers (not needed by the two commands).
# The fast loop (under a minute, no server started): the tests marked `unit`.
unit:
	@./scripts/bootstrap
	@.venv/bin/python -m bot.cli.check --unit

# Rasa's shell through allocbot's runtime (patched, telemetry off), with the variables of .env.
shell:
	@set -a && . ./.env && set +a && .venv/bin/python -m bot.rasa_runtime shell --model models/allocbot.tar.gz --endpoints endpoints.yml

train:
	@./scripts/bootstrap
	@.venv/bin/python -m bot.cli.training --force

# Load benchmark against stock Rasa (~15 min; not part of `make test`): docs/benchmarks/latest.md.
# BENCH_ARGS=--quick for a short run while developing.
bench:
	@./scripts/bootstrap
	@.venv/bin/python -m bot.cli.bench $(BENCH_ARGS)


# The scaled topology on this machine (issue 22): PostgreSQL, Redis, HAProxy and two replicas of
# Rasa, of the action server and of the backend (docs/deployment.md). `make run` stays the embedded default.
run-scaled:
	@./scripts/bootstrap
	@.venv/bin/python -m bot.cli.scaled
