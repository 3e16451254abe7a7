#!/usr/bin/env python3
"""Writes seeds/population.csv: APPROXIMATE mid-year child populations by council area.

These are not National Records of Scotland figures. They are council totals rounded from the
published 2022 mid-year estimates (to the nearest thousand), multiplied by a share aged 0-17
(about 18.6%, so Scotland has about 1.01 million children, as the published estimates say) and a gentle
0.5% a year decline. Replace this file with the NRS table (same columns) before any real use;
the pipeline reads whatever the file holds.
"""
import csv, sys

COUNCILS = [  # code, approximate total population (thousands), share aged 0-17
    ("S12000033", 224, 0.170), ("S12000034", 263, 0.200), ("S12000041", 114, 0.180),
    ("S12000035", 87, 0.165), ("S12000005", 52, 0.190), ("S12000006", 146, 0.170),
    ("S12000042", 148, 0.175), ("S12000008", 120, 0.185), ("S12000045", 109, 0.205),
    ("S12000010", 112, 0.205), ("S12000011", 97, 0.225), ("S12000036", 515, 0.170),
    ("S12000013", 26, 0.170), ("S12000014", 161, 0.190), ("S12000047", 372, 0.190),
    ("S12000049", 632, 0.180), ("S12000017", 236, 0.180), ("S12000018", 77, 0.175),
    ("S12000019", 96, 0.210), ("S12000020", 94, 0.190), ("S12000021", 133, 0.180),
    ("S12000050", 341, 0.200), ("S12000023", 22, 0.180), ("S12000048", 153, 0.175),
    ("S12000038", 184, 0.190), ("S12000026", 116, 0.180), ("S12000027", 23, 0.200),
    ("S12000028", 112, 0.170), ("S12000029", 329, 0.195), ("S12000030", 93, 0.190),
    ("S12000039", 88, 0.190), ("S12000040", 184, 0.210),
]
YEARS = range(2019, 2026)
SHARE_0_15_OF_0_17 = 0.89

def main(path):
    rows = []
    for year in YEARS:
        decline = (1 - 0.005) ** (year - 2022)
        totals = {"0-17": 0, "0-15": 0}
        for code, thousands, share in COUNCILS:
            p017 = round(thousands * 1000 * share * decline / 10) * 10
            p015 = round(p017 * SHARE_0_15_OF_0_17 / 10) * 10
            rows.append((code, year, "0-17", p017))
            rows.append((code, year, "0-15", p015))
            totals["0-17"] += p017
            totals["0-15"] += p015
        rows.append(("S92000003", year, "0-17", totals["0-17"]))
        rows.append(("S92000003", year, "0-15", totals["0-15"]))
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["geography_code", "year", "age_group", "population", "source"])
        for code, year, age, pop in sorted(rows):
            w.writerow([code, year, age, pop, "approximate (scripts/make_population_seed.py), not NRS"])

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "seeds/population.csv")
