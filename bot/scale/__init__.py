"""What several replicas of allocbot share: the Redis connection, the conversation lock, the rate limits.

Everything here has an embedded default (nothing configured: process memory, as for
``make run``) and a shared one when ``ALLOCBOT_REDIS_URL`` is set (``make run-scaled``,
production). See docs/deployment.md for what stays in a process's memory and why
that is safe.
"""
