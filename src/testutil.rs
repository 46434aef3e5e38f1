//! Helpers for the tests (unit tests, and through `#[path]` the
//! integration tests' `tests/common`).

/// A seeded xorshift64 stream of uniform numbers in [0, 1): the same
/// sequence on every machine, no dependency.
pub fn xorshift(seed: u64) -> impl FnMut() -> f64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    }
}
