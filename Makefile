# allocbot's two commands (see README.md). Both install what they need first.
.PHONY: run test shell train bench

run:
	@./scripts/bootstrap
	@.venv/bin/python -m bot.cli.run

test:
	@./scripts/bootstrap
	@.venv/bin/python -m bot.cli.check

# Conveniences for counsellors and developers (not needed by the two commands).
shell:
	@.venv/bin/rasa shell --model models/allocbot.tar.gz --endpoints endpoints.yml

train:
	@./scripts/bootstrap
	@.venv/bin/python -m bot.cli.training --force
