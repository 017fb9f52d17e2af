"""Use cases over the domain, shared by the CLI and the web app."""
