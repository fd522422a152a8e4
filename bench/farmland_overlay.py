"""GeoPandas peer of LandWatch's FARMLAND rule: overlay(intersection) of buildings with basic farmland,
areas in CGCS2000 GK CM 114E (EPSG:4547, metres; the scale error there is far below 0.01 %), summed per
building. Prints one JSON line: timings (s) and totals. Usage: farmland_overlay.py buildings.geojson farmland.geojson"""
import json
import sys
import time

import geopandas as gpd

t0 = time.perf_counter()
buildings = gpd.read_file(sys.argv[1])
farmland = gpd.read_file(sys.argv[2])
t1 = time.perf_counter()
buildings = buildings.to_crs(4547)
farmland = farmland.to_crs(4547)
overlay = gpd.overlay(buildings[["bid", "geometry"]], farmland[["fid", "geometry"]], how="intersection", keep_geom_type=True)
overlay["m2"] = overlay.geometry.area
per_building = overlay.groupby("bid")["m2"].sum()
t2 = time.perf_counter()
print(json.dumps({
    "geopandas": gpd.__version__,
    "read_s": t1 - t0,
    "overlay_s": t2 - t1,
    "buildings": len(buildings),
    "parcels": len(farmland),
    "pairs": len(overlay),
    "buildings_on_farmland": int((per_building > 0).sum()),
    "overlap_m2": float(per_building.sum()),
}))
