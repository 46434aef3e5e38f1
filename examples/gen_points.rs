//! Seeded random points as CSV on stdout (id,lat,lon; lon 38-51, lat 37-44),
//! fast enough to feed `locate` hundreds of millions of rows through a pipe:
//! `cargo run --release --example gen_points -- 100000000 | territory locate - ...`
use std::io::Write;

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let mut state: u64 = 42;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let out = std::io::stdout();
    let mut w = std::io::BufWriter::with_capacity(1 << 20, out.lock());
    let _ = writeln!(w, "id,lat,lon");
    for i in 0..n {
        if writeln!(
            w,
            "{i},{:.6},{:.6}",
            37.0 + 7.0 * next(),
            38.0 + 13.0 * next()
        )
        .is_err()
        {
            return; // closed pipe
        }
    }
}
