//! SVG to PNG through resvg (pure Rust), with the embedded font; and the
//! image format an output path asks for.

/// DejaVu Sans (Bitstream Vera licence, see `data/fonts/LICENSE-DejaVu.txt`).
static FONT: &[u8] = include_bytes!("../../data/fonts/DejaVuSans.ttf");

/// Rasterise an SVG document to PNG bytes with resvg, at its own size, using
/// the embedded font.
pub fn png(svg: &str) -> Result<Vec<u8>, String> {
    let mut opt = resvg::usvg::Options::default();
    opt.fontdb_mut().load_font_data(FONT.to_vec());
    opt.font_family = "DejaVu Sans".into();
    let tree = resvg::usvg::Tree::from_str(svg, &opt).map_err(|e| format!("SVG: {e}"))?;
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| format!("cannot make a {}x{} image", size.width(), size.height()))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| format!("PNG: {e}"))
}

/// Image format, from the output file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// `.svg`
    Svg,
    /// `.png`
    Png,
}

impl ImageFormat {
    /// From a path's extension: `.svg` or `.png`.
    pub fn of(path: &std::path::Path) -> crate::Result<Self> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("svg") => Ok(ImageFormat::Svg),
            Some("png") => Ok(ImageFormat::Png),
            _ => Err(crate::Error::Input(format!(
                "{}: the image is written as SVG or PNG: name it .svg or .png",
                path.display()
            ))),
        }
    }
}

/// The bytes of an SVG document as the image `path` names: the SVG itself,
/// or a PNG of it.
pub fn image_bytes(svg: &str, path: &std::path::Path) -> crate::Result<Vec<u8>> {
    Ok(match ImageFormat::of(path)? {
        ImageFormat::Svg => svg.as_bytes().to_vec(),
        ImageFormat::Png => {
            png(svg).map_err(|e| crate::Error::Input(format!("{}: {e}", path.display())))?
        }
    })
}
