"""Chapter exercises: lesson pages rendered from the catalog, data exercises with self-checks.

One module per chapter (people.py for chapter 15, organizational.py for chapter 14); lesson_view.py renders the
lesson of any control that has catalog content (why, model standard and procedure fitted to the profile, tip, mistakes).
"""
