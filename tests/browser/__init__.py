"""Browser tests: every form of the course in JupyterLab, driven by Playwright in Debian's Chromium.

A package so that its conftest.py and helper modules never shadow tests/conftest.py (pytest's prepend import mode).
"""
