"""Shared, cached scenarios for the incident tests (generating one takes about half a second)."""

from functools import lru_cache

from course.incident.scenario import generate

# Seeds 0–5 give the three entry routes (vpn, vpn, phishing, rdp, phishing, rdp); tests assert the coverage.
SEEDS = (0, 1, 2, 3, 4, 5)


@lru_cache(maxsize=None)
def scenario(seed, employees=30, days=14):
    return generate(seed, employees=employees, days=days)
