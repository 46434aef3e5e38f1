#!/usr/bin/env python3
"""Zip-bomb KMZ fixtures for the inflate caps (issue #11).

tests/data/bomb-declared.kmz: doc.kml inflates to 80 MiB (KML with 80 MiB of
  spaces) from ~80 KB, and its zip headers say so: refused by declared size.
tests/data/bomb-lying.kmz: the same, with the uncompressed sizes in the zip
  headers patched to 1 KiB: refused while inflating.
Usage: python3 scripts/make-bomb-fixtures.py
"""
import struct, zipfile, io, os

ROOT = os.path.join(os.path.dirname(__file__), "..", "tests", "data")
body = b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>' + b" " * (80 << 20) + b"</Document></kml>"
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("doc.kml", body)
data = buf.getvalue()
open(os.path.join(ROOT, "bomb-declared.kmz"), "wb").write(data)

b = bytearray(data)
# Local file header: signature PK\3\4, uncompressed size at offset 22.
assert b[0:4] == b"PK\x03\x04"
struct.pack_into("<I", b, 22, 1024)
# Central directory header: PK\1\2, uncompressed size at offset 24.
cd = b.find(b"PK\x01\x02")
struct.pack_into("<I", b, cd + 24, 1024)
open(os.path.join(ROOT, "bomb-lying.kmz"), "wb").write(bytes(b))
print(len(data), "bytes each")
