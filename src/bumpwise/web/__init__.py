"""The web app: ``create_app(settings)`` builds it; nothing happens at import time."""
