//! Build script. Only does work with the `proj` feature: it copies PROJ's
//! database (`proj.db`, generated while `proj-sys` builds PROJ from source) into
//! this crate's OUT_DIR so that `src/crs/enabled.rs` can embed it with
//! `include_bytes!`. The binary then finds the database wherever it runs
//! (issue #6, item 5) instead of depending on the build directory.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var_os("CARGO_FEATURE_PROJ").is_some() {
        embed_proj_db();
    }
}

/// Find the newest `proj.db` under `target/<profile>/build/proj-sys-*/out/` and
/// copy it to OUT_DIR, with its length and an FNV-1a hash for the runtime cache
/// name. `proj-sys` prints no metadata with the path, so we look where cargo
/// puts its build-script output; every candidate comes from the same pinned
/// PROJ version (Cargo.lock), and PROJ checks the database layout when it
/// opens it, so a stale copy would be reported at run time, not silently used.
fn embed_proj_db() {
    use std::path::PathBuf;
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    // OUT_DIR = target/<profile>/build/territory-<hash>/out
    let build_dir = out
        .parent()
        .and_then(|p| p.parent())
        .expect("OUT_DIR has the form …/build/<pkg>-<hash>/out");
    let mut newest: Option<(std::time::SystemTime, PathBuf)> = None;
    for entry in std::fs::read_dir(build_dir).expect("read the build directory") {
        let Ok(entry) = entry else { continue };
        if !entry.file_name().to_string_lossy().starts_with("proj-sys-") {
            continue;
        }
        let db = entry.path().join("out/share/proj/proj.db");
        if let Ok(modified) = std::fs::metadata(&db).and_then(|m| m.modified())
            && newest.as_ref().is_none_or(|(t, _)| modified > *t)
        {
            newest = Some((modified, db));
        }
    }
    let Some((_, db)) = newest else {
        panic!(
            "feature `proj`: proj-sys built PROJ but no proj.db was found under {}/proj-sys-*/out/share/proj/",
            build_dir.display()
        );
    };
    let bytes = std::fs::read(&db).expect("read proj.db");
    std::fs::write(out.join("proj.db"), &bytes).expect("copy proj.db to OUT_DIR");
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in &bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    println!(
        "cargo:rustc-env=TERRITORY_PROJ_DB_ID={}-{hash:016x}",
        bytes.len()
    );
    println!("cargo:rerun-if-changed={}", db.display());
}
