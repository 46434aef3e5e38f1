//! Arrow columns decoded: properties as JSON values or text, geometries
//! from WKB or the native GeoArrow encodings.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type,
    UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef};
use arrow_schema::{DataType, TimeUnit};
use geo::Coord;
use serde_json::Value;

use crate::io::feature::{Geometry, Part, Positions, Ring};

pub(super) fn num(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// A column's values as JSON; `Err(type)` for a type not read.
pub(super) fn values(col: &ArrayRef, n: usize) -> std::result::Result<Vec<Value>, String> {
    macro_rules! prim {
        ($t:ty, $f:expr) => {{
            let a = col.as_primitive::<$t>();
            (0..n)
                .map(|i| {
                    if a.is_null(i) {
                        Value::Null
                    } else {
                        $f(a.value(i))
                    }
                })
                .collect()
        }};
    }
    Ok(match col.data_type() {
        DataType::Null => vec![Value::Null; n],
        DataType::Boolean => {
            let a = col.as_boolean();
            (0..n)
                .map(|i| {
                    if a.is_null(i) {
                        Value::Null
                    } else {
                        Value::Bool(a.value(i))
                    }
                })
                .collect()
        }
        DataType::Int8 => prim!(Int8Type, Value::from),
        DataType::Int16 => prim!(Int16Type, Value::from),
        DataType::Int32 => prim!(Int32Type, Value::from),
        DataType::Int64 => prim!(Int64Type, Value::from),
        DataType::UInt8 => prim!(UInt8Type, Value::from),
        DataType::UInt16 => prim!(UInt16Type, Value::from),
        DataType::UInt32 => prim!(UInt32Type, Value::from),
        DataType::UInt64 => prim!(UInt64Type, Value::from),
        DataType::Float32 => prim!(Float32Type, |x: f32| num(f64::from(x))),
        DataType::Float64 => prim!(Float64Type, num),
        DataType::Date32 => prim!(Date32Type, |d: i32| {
            arrow_array::temporal_conversions::date32_to_datetime(d).map_or(Value::Null, |t| {
                Value::String(t.format("%Y-%m-%d").to_string())
            })
        }),
        DataType::Timestamp(unit, _) => {
            use arrow_array::temporal_conversions as tc;
            use arrow_array::types::{
                TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
                TimestampSecondType,
            };
            let text = |t: Option<chrono::NaiveDateTime>| {
                t.map_or(Value::Null, |t| {
                    Value::String(t.format("%Y-%m-%dT%H:%M:%S%.f").to_string())
                })
            };
            match unit {
                TimeUnit::Second => {
                    prim!(TimestampSecondType, |v| text(tc::timestamp_s_to_datetime(
                        v
                    )))
                }
                TimeUnit::Millisecond => {
                    prim!(TimestampMillisecondType, |v| text(
                        tc::timestamp_ms_to_datetime(v)
                    ))
                }
                TimeUnit::Microsecond => {
                    prim!(TimestampMicrosecondType, |v| text(
                        tc::timestamp_us_to_datetime(v)
                    ))
                }
                TimeUnit::Nanosecond => {
                    prim!(TimestampNanosecondType, |v| text(
                        tc::timestamp_ns_to_datetime(v)
                    ))
                }
            }
        }
        DataType::Utf8 => strings(col.as_string::<i32>().iter(), n),
        DataType::LargeUtf8 => strings(col.as_string::<i64>().iter(), n),
        DataType::Utf8View => strings(col.as_string_view().iter(), n),
        DataType::Dictionary(_, _) => {
            let d = col.as_any_dictionary();
            let vals = values(d.values(), d.values().len())?;
            d.normalized_keys()
                .into_iter()
                .enumerate()
                .map(|(i, k)| {
                    if col.is_null(i) {
                        Value::Null
                    } else {
                        vals.get(k).cloned().unwrap_or(Value::Null)
                    }
                })
                .collect()
        }
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView => {
            return Err(format!("{} (binary)", col.data_type()));
        }
        other => return Err(format!("{other}")),
    })
}

/// A column read as text, for the common types: strings as they are
/// (line breaks as spaces), integers and reals as JSON writes them (a
/// non-finite real is empty, as JSON's null), nulls empty.
pub(super) enum Text<'a> {
    Str(&'a arrow_array::StringArray),
    LargeStr(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
    I64(&'a arrow_array::Int64Array),
    I32(&'a arrow_array::Int32Array),
    F64(&'a arrow_array::Float64Array),
    /// A dictionary column (text a file repeats): each row's key into the
    /// distinct values, read as their own type.
    Dict {
        col: &'a ArrayRef,
        keys: Vec<usize>,
        values: Box<Text<'a>>,
    },
}

impl<'a> Text<'a> {
    pub(super) fn of(col: &'a ArrayRef) -> Option<Text<'a>> {
        Some(match col.data_type() {
            DataType::Utf8 => Text::Str(col.as_string::<i32>()),
            DataType::LargeUtf8 => Text::LargeStr(col.as_string::<i64>()),
            DataType::Utf8View => Text::View(col.as_string_view()),
            DataType::Int64 => Text::I64(col.as_primitive::<Int64Type>()),
            DataType::Int32 => Text::I32(col.as_primitive::<Int32Type>()),
            DataType::Float64 => Text::F64(col.as_primitive::<Float64Type>()),
            DataType::Dictionary(_, _) => {
                let d = col.as_any_dictionary();
                Text::Dict {
                    col,
                    keys: d.normalized_keys(),
                    values: Box::new(Text::of(d.values())?),
                }
            }
            _ => return None,
        })
    }

    /// Value `i` as text (as [`Batches::features`] would give it, line
    /// breaks as spaces, so that a row is one line); `None` for a null.
    fn value<'s>(
        &'s self,
        i: usize,
        ib: &'s mut itoa::Buffer,
        fb: &'s mut ryu::Buffer,
    ) -> Option<std::borrow::Cow<'s, str>> {
        if let Text::Dict { col, keys, values } = self {
            return if col.is_valid(i) {
                values.value(*keys.get(i)?, ib, fb)
            } else {
                None
            };
        }
        let s: &str = match self {
            Text::Str(a) => a.is_valid(i).then(|| a.value(i)),
            Text::LargeStr(a) => a.is_valid(i).then(|| a.value(i)),
            Text::View(a) => a.is_valid(i).then(|| a.value(i)),
            Text::I64(a) => a.is_valid(i).then(|| ib.format(a.value(i))),
            Text::I32(a) => a.is_valid(i).then(|| ib.format(a.value(i))),
            Text::F64(a) => a
                .is_valid(i)
                .then(|| a.value(i))
                .filter(|x| x.is_finite())
                .map(|x| fb.format_finite(x)),
            Text::Dict { .. } => None,
        }?;
        Some(if s.contains(['\n', '\r']) {
            s.replace(['\n', '\r'], " ").into()
        } else {
            s.into()
        })
    }

    /// Append value `i` as a CSV field (quoted when it holds a comma or a
    /// quote).
    pub(super) fn push(
        &self,
        i: usize,
        out: &mut Vec<u8>,
        ib: &mut itoa::Buffer,
        fb: &mut ryu::Buffer,
    ) {
        let Some(s) = self.value(i, ib, fb) else {
            return;
        };
        if s.contains([',', '"']) {
            out.push(b'"');
            for b in s.bytes() {
                if b == b'"' {
                    out.push(b'"');
                }
                out.push(b);
            }
            out.push(b'"');
        } else {
            out.extend_from_slice(s.as_bytes());
        }
    }

    /// Append value `i` as it is (a field of a [`PointPart`]).
    pub(super) fn push_raw(
        &self,
        i: usize,
        out: &mut Vec<u8>,
        ib: &mut itoa::Buffer,
        fb: &mut ryu::Buffer,
    ) {
        if let Some(s) = self.value(i, ib, fb) {
            out.extend_from_slice(s.as_bytes());
        }
    }
}

/// The x, y of a WKB Point (ISO or EWKB, any dimension; either byte order),
/// `None` for anything else or a point that is not two finite numbers.
pub(super) fn wkb_point(b: Option<&[u8]>) -> Option<(f64, f64)> {
    let b = b?;
    let le = *b.first()? == 1;
    let word = |at: usize| -> Option<u32> {
        let w: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
        Some(if le {
            u32::from_le_bytes(w)
        } else {
            u32::from_be_bytes(w)
        })
    };
    let float = |at: usize| -> Option<f64> {
        let w: [u8; 8] = b.get(at..at + 8)?.try_into().ok()?;
        Some(if le {
            f64::from_le_bytes(w)
        } else {
            f64::from_be_bytes(w)
        })
    };
    let ty = word(1)?;
    let srid = ty & 0x2000_0000 != 0;
    if (ty & 0x0FFF_FFFF) % 1000 != 1 {
        return None;
    }
    let at = if srid { 9 } else { 5 };
    let (x, y) = (float(at)?, float(at + 8)?);
    (x.is_finite() && y.is_finite()).then_some((x, y))
}

pub(super) fn strings<'a>(it: impl Iterator<Item = Option<&'a str>>, n: usize) -> Vec<Value> {
    let mut out = Vec::with_capacity(n);
    out.extend(it.map(|s| s.map_or(Value::Null, |s| Value::String(s.to_string()))));
    out
}

/// The geometries of a column in `encoding`.
pub(super) fn geometries(
    col: &ArrayRef,
    encoding: &str,
) -> std::result::Result<Vec<Geometry>, String> {
    let n = col.len();
    let wkb = |bytes: Option<&[u8]>| match bytes {
        None => Geometry::Null,
        Some(b) => crate::io::wkb::from_wkb(b),
    };
    if let DataType::Dictionary(_, _) = col.data_type() {
        // Each distinct value decoded once, then shared by the rows.
        let d = col.as_any_dictionary();
        let distinct = geometries(d.values(), encoding)?;
        return Ok(d
            .normalized_keys()
            .into_iter()
            .enumerate()
            .map(|(i, k)| {
                if col.is_null(i) {
                    Geometry::Null
                } else {
                    distinct.get(k).cloned().unwrap_or(Geometry::Null)
                }
            })
            .collect());
    }
    if encoding == "wkb" {
        return match col.data_type() {
            DataType::Binary => Ok(col.as_binary::<i32>().iter().map(wkb).collect()),
            DataType::LargeBinary => Ok(col.as_binary::<i64>().iter().map(wkb).collect()),
            DataType::BinaryView => Ok(col.as_binary_view().iter().map(wkb).collect()),
            other => Err(format!("encoding WKB in a column of type {other}")),
        };
    }
    let depth = match encoding {
        "point" => 0,
        "linestring" | "multipoint" => 1,
        "polygon" | "multilinestring" => 2,
        "multipolygon" => 3,
        other => {
            return Err(format!(
                "encoding {other:?} is not read (WKB and the GeoArrow encodings are)"
            ));
        }
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        if col.is_null(i) {
            out.push(Geometry::Null);
            continue;
        }
        out.push(native(col, i, depth, encoding)?);
    }
    Ok(out)
}

/// Offsets of a list array (`List` or `LargeList`) and its values.
pub(super) fn list(a: &dyn Array) -> std::result::Result<(Vec<usize>, ArrayRef), String> {
    match a.data_type() {
        DataType::List(_) => {
            let l = a.as_list::<i32>();
            Ok((
                l.offsets().iter().map(|&o| o as usize).collect(),
                l.values().clone(),
            ))
        }
        DataType::LargeList(_) => {
            let l = a.as_list::<i64>();
            Ok((
                l.offsets().iter().map(|&o| o as usize).collect(),
                l.values().clone(),
            ))
        }
        other => Err(format!("a GeoArrow list expected, found {other}")),
    }
}

/// Coordinates `range` of a GeoArrow coordinate array (struct of x, y or
/// interleaved fixed-size list).
pub(super) fn coords(
    a: &dyn Array,
    range: std::ops::Range<usize>,
) -> std::result::Result<Positions, String> {
    let mut ps = Positions::default();
    match a.data_type() {
        DataType::Struct(fields) => {
            let s = a.as_struct();
            let (xs, ys) = (
                s.column_by_name("x").ok_or("coordinates without x")?,
                s.column_by_name("y").ok_or("coordinates without y")?,
            );
            let (xs, ys) = (
                xs.as_primitive_opt::<Float64Type>()
                    .ok_or("x is not float64")?,
                ys.as_primitive_opt::<Float64Type>()
                    .ok_or("y is not float64")?,
            );
            if range.end > xs.len() || range.end > ys.len() {
                return Err("offsets past the coordinates".into());
            }
            ps.had_z = fields.len() > 2 && s.column_by_name("z").is_some();
            for i in range {
                ps.push_xy(xs.value(i), ys.value(i));
            }
        }
        DataType::FixedSizeList(_, size) => {
            let l = a.as_fixed_size_list();
            let size = *size as usize;
            let v = l
                .values()
                .as_primitive_opt::<Float64Type>()
                .ok_or("coordinates are not float64")?;
            if size < 2 || (range.end * size) > v.len() {
                return Err("offsets past the coordinates".into());
            }
            ps.had_z = size > 2;
            for i in range {
                ps.push_xy(v.value(i * size), v.value(i * size + 1));
            }
        }
        other => return Err(format!("GeoArrow coordinates expected, found {other}")),
    }
    Ok(ps)
}

pub(super) fn span(
    offsets: &[usize],
    i: usize,
) -> std::result::Result<std::ops::Range<usize>, String> {
    match (offsets.get(i), offsets.get(i + 1)) {
        (Some(&a), Some(&b)) if a <= b => Ok(a..b),
        _ => Err("corrupt list offsets".into()),
    }
}

pub(super) fn native(
    col: &ArrayRef,
    i: usize,
    depth: usize,
    encoding: &str,
) -> std::result::Result<Geometry, String> {
    let not_area =
        |kind: &str, points: Vec<Coord<f64>>, lines: Vec<geo::LineString<f64>>| Geometry::NotArea {
            kind: kind.into(),
            points,
            lines,
        };
    match depth {
        0 => Ok(not_area(
            "Point",
            coords(col.as_ref(), i..i + 1)?.coords,
            Vec::new(),
        )),
        _ => {
            let (o1, v1) = list(col.as_ref())?;
            let r1 = span(&o1, i)?;
            match encoding {
                "linestring" => Ok(not_area(
                    "LineString",
                    Vec::new(),
                    vec![geo::LineString(coords(v1.as_ref(), r1)?.coords)],
                )),
                "multipoint" => Ok(not_area(
                    "MultiPoint",
                    coords(v1.as_ref(), r1)?.coords,
                    Vec::new(),
                )),
                "polygon" | "multilinestring" => {
                    let (o2, v2) = list(v1.as_ref())?;
                    let mut rings = Vec::new();
                    for j in r1 {
                        rings.push(coords(v2.as_ref(), span(&o2, j)?)?);
                    }
                    Ok(if encoding == "polygon" {
                        Geometry::Polygon(rings.into_iter().map(Ring::Positions).collect())
                    } else {
                        not_area(
                            "MultiLineString",
                            Vec::new(),
                            rings
                                .into_iter()
                                .map(|r| geo::LineString(r.coords))
                                .collect(),
                        )
                    })
                }
                _ => {
                    let (o2, v2) = list(v1.as_ref())?;
                    let (o3, v3) = list(v2.as_ref())?;
                    let mut parts = Vec::new();
                    for j in r1 {
                        let mut rs = Vec::new();
                        for k in span(&o2, j)? {
                            rs.push(Ring::Positions(coords(v3.as_ref(), span(&o3, k)?)?));
                        }
                        parts.push(Part::Rings(rs));
                    }
                    Ok(Geometry::MultiPolygon(parts))
                }
            }
        }
    }
}
