"""Domain services of the backend: the I/O shell around the pure ARE rules."""
