#!/usr/bin/env python3
"""Write tests/data/google-earth.kml and .kmz: the polygons of hole.geojson and
multipolygon.geojson and one point, laid out the way Google Earth Pro 7.3
saves a "My Places" folder (tabs, styles and StyleMaps, LookAt, altitudes of
0, coordinates on one line separated by spaces, ExtendedData, nested
Folders). The areas are checked in tests/kml.rs against the GeographicLib
references already computed for the GeoJSON fixtures (reference-areas.json).
The KMZ holds the KML as doc.kml beside a files/ entry, as Google Earth does.

Usage: python3 scripts/make-kml-fixtures.py
"""
import json
import os
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def load(name):
    with open(os.path.join(ROOT, "tests/data", name)) as f:
        return json.load(f)["features"][0]


def coords(ring):
    return " ".join(f"{lon},{lat},0" for lon, lat in ring)


def polygon(rings, indent):
    t = "\t" * indent
    out = [f"{t}<Polygon>", f"{t}\t<tessellate>1</tessellate>",
           f"{t}\t<outerBoundaryIs>", f"{t}\t\t<LinearRing>", f"{t}\t\t\t<coordinates>",
           f"{t}\t\t\t\t{coords(rings[0])} ", f"{t}\t\t\t</coordinates>",
           f"{t}\t\t</LinearRing>", f"{t}\t</outerBoundaryIs>"]
    for hole in rings[1:]:
        out += [f"{t}\t<innerBoundaryIs>", f"{t}\t\t<LinearRing>", f"{t}\t\t\t<coordinates>",
                f"{t}\t\t\t\t{coords(hole)} ", f"{t}\t\t\t</coordinates>",
                f"{t}\t\t</LinearRing>", f"{t}\t</innerBoundaryIs>"]
    out.append(f"{t}</Polygon>")
    return "\n".join(out)


def main():
    hole = load("hole.geojson")
    multi = load("multipolygon.geojson")
    multi_polys = "\n".join(polygon(p, 4) for p in multi["geometry"]["coordinates"])
    kml = f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2" xmlns:kml="http://www.opengis.net/kml/2.2" xmlns:atom="http://www.w3.org/2005/Atom">
<Document>
\t<name>territory-fixture.kmz</name>
\t<Style id="s_ylw-pushpin_hl">
\t\t<IconStyle>
\t\t\t<scale>1.3</scale>
\t\t\t<Icon>
\t\t\t\t<href>http://maps.google.com/mapfiles/kml/pushpin/ylw-pushpin.png</href>
\t\t\t</Icon>
\t\t\t<hotSpot x="20" y="2" xunits="pixels" yunits="pixels"/>
\t\t</IconStyle>
\t\t<PolyStyle>
\t\t\t<color>7f0000ff</color>
\t\t</PolyStyle>
\t</Style>
\t<StyleMap id="m_ylw-pushpin">
\t\t<Pair>
\t\t\t<key>normal</key>
\t\t\t<styleUrl>#s_ylw-pushpin</styleUrl>
\t\t</Pair>
\t\t<Pair>
\t\t\t<key>highlight</key>
\t\t\t<styleUrl>#s_ylw-pushpin_hl</styleUrl>
\t\t</Pair>
\t</StyleMap>
\t<Folder>
\t\t<name>Digitised 2021</name>
\t\t<open>1</open>
\t\t<Folder>
\t\t\t<name>May</name>
\t\t\t<Placemark id="0A1B2C3D4E5F">
\t\t\t\t<name>square with a hole</name>
\t\t\t\t<description><![CDATA[Illustrative: not a real position.]]></description>
\t\t\t\t<LookAt>
\t\t\t\t\t<longitude>45.2</longitude>
\t\t\t\t\t<latitude>40.35</latitude>
\t\t\t\t\t<altitude>0</altitude>
\t\t\t\t\t<heading>0</heading>
\t\t\t\t\t<tilt>0</tilt>
\t\t\t\t\t<range>60000</range>
\t\t\t\t\t<gx:altitudeMode>relativeToSeaFloor</gx:altitudeMode>
\t\t\t\t</LookAt>
\t\t\t\t<styleUrl>#m_ylw-pushpin</styleUrl>
\t\t\t\t<ExtendedData>
\t\t\t\t\t<Data name="date">
\t\t\t\t\t\t<value>2021-05-12</value>
\t\t\t\t\t</Data>
\t\t\t\t\t<Data name="source">
\t\t\t\t\t\t<value>hand-digitised</value>
\t\t\t\t\t</Data>
\t\t\t\t</ExtendedData>
{polygon(hole["geometry"]["coordinates"], 4)}
\t\t\t</Placemark>
\t\t</Folder>
\t\t<Placemark>
\t\t\t<name>two parts</name>
\t\t\t<styleUrl>#m_ylw-pushpin</styleUrl>
\t\t\t<MultiGeometry>
{multi_polys}
\t\t\t</MultiGeometry>
\t\t</Placemark>
\t</Folder>
\t<Placemark>
\t\t<name>Republic Square</name>
\t\t<styleUrl>#m_ylw-pushpin</styleUrl>
\t\t<Point>
\t\t\t<gx:drawOrder>1</gx:drawOrder>
\t\t\t<coordinates>44.5126,40.1776,0</coordinates>
\t\t</Point>
\t</Placemark>
</Document>
</kml>
"""
    with open(os.path.join(ROOT, "tests/data/google-earth.kml"), "w") as f:
        f.write(kml)
    # The polygons only (a layer), and the point only (for locate), as KMZ.
    polys = kml[: kml.index("\t<Placemark>\n\t\t<name>Republic Square")] + "</Document>\n</kml>\n"
    with zipfile.ZipFile(os.path.join(ROOT, "tests/data/google-earth.kmz"), "w") as z:
        doc = zipfile.ZipInfo("doc.kml", (2021, 5, 12, 0, 0, 0))
        doc.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(doc, polys)
        z.writestr(zipfile.ZipInfo("files/", (2021, 5, 12, 0, 0, 0)), "")
    # Incident points, as Google Earth saves pushpins in a folder.
    pins = "".join(
        f"""\t\t<Placemark>
\t\t\t<name>{name}</name>
\t\t\t<styleUrl>#m_ylw-pushpin</styleUrl>
\t\t\t<Point>
\t\t\t\t<gx:drawOrder>1</gx:drawOrder>
\t\t\t\t<coordinates>{lon},{lat},0</coordinates>
\t\t\t</Point>
\t\t</Placemark>
"""
        for name, lat, lon in [("Republic Square, Yerevan", 40.1776, 44.5126), ("Goris", 39.5075, 46.3386), ("Gyumri", 40.7894, 43.8475)]
    )
    head = kml[: kml.index("\t<Folder>")]
    points = head + "\t<Folder>\n\t\t<name>Incidents</name>\n" + pins + "\t</Folder>\n</Document>\n</kml>\n"
    with open(os.path.join(ROOT, "tests/data/google-earth-points.kml"), "w") as f:
        f.write(points)


if __name__ == "__main__":
    main()
