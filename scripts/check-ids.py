#!/usr/bin/env python3
"""Check the built-in admin-1 ids against ISO 3166-2, from the `pycountry`
package (an independent list), and write that list for the Rust test.

  - every feature of data/ne10m-admin1.geojson and data/osm-admin1.geojson has an
    id that is an ISO 3166-2 code of its country (iso_3166_2 = id), or, where ISO
    has no code for the unit, its Natural Earth adm1_code (iso_3166_2 = null);
  - ids are unique; every ISO code of the three countries is some feature's id,
    except the Nakhchivan Autonomous Republic (AZ-NX), which is the parent of its
    districts, not a unit beside them;
  - writes tests/data/iso3166-2.csv (code,name,type,parent) for tests/builtin_ids.rs.

Usage:  pip install pycountry && python3 scripts/check-ids.py [--check]
--check: do not write tests/data/iso3166-2.csv, fail when it differs from
pycountry's list (CI runs this). Exit status 1 and a list of problems when a
check fails.
"""
import csv
import io
import json
import os
import sys

import pycountry

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
COUNTRIES = ("AM", "AZ", "GE")
PARENTS = {"AZ-NX"}


def main():
    iso = sorted((s for s in pycountry.subdivisions if s.country_code in COUNTRIES),
                 key=lambda s: s.code)
    codes = {s.code: s for s in iso}
    problems = []
    for fname in ("ne10m-admin1.geojson", "osm-admin1.geojson"):
        with open(os.path.join(ROOT, "data", fname), encoding="utf-8") as f:
            feats = json.load(f)["features"]
        seen = set()
        for k, ft in enumerate(feats, 1):
            p, fid = ft["properties"], ft["id"]
            where = f"data/{fname}: feature {k} ({fid}, {p['name']})"
            if fid in seen:
                problems.append(f"{where}: duplicate id")
            seen.add(fid)
            if p["iso_3166_2"] is None:
                if fid != p["adm1_code"]:
                    problems.append(f"{where}: no ISO code, so the id must be adm1_code")
            elif fid != p["iso_3166_2"]:
                problems.append(f"{where}: id differs from iso_3166_2 {p['iso_3166_2']}")
            elif fid not in codes:
                problems.append(f"{where}: {fid} is not an ISO 3166-2 code")
            elif codes[fid].country_code != p["iso_a2"]:
                problems.append(f"{where}: {fid} is a code of {codes[fid].country_code}")
        missing = sorted(set(codes) - seen - PARENTS)
        if missing:
            problems.append(f"data/{fname}: no feature for ISO codes {', '.join(missing)}")
    out = os.path.join(ROOT, "tests", "data", "iso3166-2.csv")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["code", "name", "type", "parent"])
    for s in iso:
        w.writerow([s.code, s.name, s.type, s.parent_code or ""])
    if "--check" in sys.argv:
        with open(out, encoding="utf-8") as f:
            if f.read() != buf.getvalue():
                problems.append(f"{out} differs from pycountry's list: rerun without --check")
    else:
        with open(out, "w", encoding="utf-8") as f:
            f.write(buf.getvalue())
    print(f"pycountry {pycountry.__version__}: {len(iso)} ISO 3166-2 codes for "
          f"{', '.join(COUNTRIES)}", file=sys.stderr)
    for p in problems:
        print(p, file=sys.stderr)
    print("ok" if not problems else f"{len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
