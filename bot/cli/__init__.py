"""Command line of allocbot: the run command, training when stale, and the test command."""
