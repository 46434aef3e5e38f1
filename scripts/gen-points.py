#!/usr/bin/env python3
"""Seeded random points for the locate benchmark: id,lat,lon, uniform over
longitude 38-51 E and latitude 37-44 N (the Caucasus and around).

Usage: python3 scripts/gen-points.py N OUT.csv [SEED]
"""
import random
import sys


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    with open(out, "w", buffering=1 << 20) as f:
        f.write("id,lat,lon\n")
        batch = []
        for i in range(n):
            batch.append(f"{i},{37 + 7 * rng.random():.6f},{38 + 13 * rng.random():.6f}\n")
            if len(batch) == 100_000:
                f.write("".join(batch))
                batch.clear()
        f.write("".join(batch))


if __name__ == "__main__":
    main()
