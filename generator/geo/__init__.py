"""Offline maps: the bundled Natural Earth base map, projection and the map views templates draw."""

from generator.geo.basemap import land_rings
from generator.geo.svgmap import Extent, MapPoint, map_view

__all__ = ["Extent", "MapPoint", "land_rings", "map_view"]
