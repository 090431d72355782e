"""allocbot: French self-service assistant for unemployment allowance (ARE) questions."""
