"""GeoPandas peer of LandWatch's overlay rules (FARMLAND + CULTIVATED, PASSAGE): for every building, the
area on farmland (basic farmland and cultivated parcels) and the area on passages. Per layer: sjoin
(STRtree, intersects) to find the candidate pairs, then overlay(intersection) of the buildings that
have a candidate, areas in CGCS2000 GK CM 114E (EPSG:4547, metres; the scale error there is far below
0.01 %), summed per building. Prints one JSON line: timings (s) and totals.
Usage: farmland_overlay.py buildings.geojson farmland.geojson [passages.geojson]"""
import json
import sys
import time

import geopandas as gpd

t0 = time.perf_counter()
buildings = gpd.read_file(sys.argv[1])
farmland = gpd.read_file(sys.argv[2])
passages = gpd.read_file(sys.argv[3]) if len(sys.argv) > 3 else None
t1 = time.perf_counter()
buildings = buildings.to_crs(4547)[["bid", "geometry"]]
farmland = farmland.to_crs(4547)[["fid", "geometry"]]


def overlay_area(layer, key):
    """Per building id: m² of its intersection with `layer` (sjoin first, overlay on the candidates)."""
    pairs = gpd.sjoin(buildings, layer, how="inner", predicate="intersects")
    candidates = buildings[buildings["bid"].isin(pairs["bid"].unique())]
    pieces = gpd.overlay(candidates, layer[[key, "geometry"]], how="intersection", keep_geom_type=True)
    pieces["m2"] = pieces.geometry.area
    return pieces.groupby("bid")["m2"].sum(), len(pairs), len(pieces)


farm_m2, farm_pairs, farm_pieces = overlay_area(farmland, "fid")
t2 = time.perf_counter()
result = {
    "geopandas": gpd.__version__,
    "read_s": t1 - t0,
    "farmland_s": t2 - t1,
    "buildings": len(buildings),
    "parcels": len(farmland),
    "pairs": farm_pairs,
    "pieces": farm_pieces,
    "buildings_on_farmland": int((farm_m2 > 0).sum()),
    "overlap_m2": float(farm_m2.sum()),
}
if passages is not None:
    passages = passages.to_crs(4547)[["pid", "geometry"]]
    pass_m2, pass_pairs, _ = overlay_area(passages, "pid")
    result.update({
        "passages": len(passages),
        "passage_pairs": pass_pairs,
        "buildings_on_passages": int((pass_m2 > 0).sum()),
        "passage_m2": float(pass_m2.sum()),
    })
# Everything after reading counts: reprojection, sjoin, overlay, areas, sums.
result["overlay_s"] = time.perf_counter() - t1
print(json.dumps(result))
