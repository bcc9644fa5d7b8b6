"""Distances on the Earth and map links."""

from __future__ import annotations

import math

EARTH_RADIUS_M = 6_371_000
MIKKELI_CENTRE = (61.6886, 27.2723)  # the market square, WGS84


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def map_url(lat: float, lon: float) -> str:
    """An OpenStreetMap link with a marker at the place."""
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"
    )
