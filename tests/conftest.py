"""Shared pytest setup.

pytest puts this folder on ``sys.path`` (it holds a conftest.py and no ``__init__.py``), so every
test module can ``import builders``.
"""
