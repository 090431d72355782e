"""The counsellor console: the queue of handed-over conversations, and answering the person live.

A small FastAPI app with server-rendered pages (Jinja2, autoescaped) and a little
vanilla JavaScript that polls every two seconds. It holds no database of its own:
tickets live in the backend, conversations in Rasa, both reached over HTTP.
"""
