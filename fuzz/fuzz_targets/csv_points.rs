#![no_main]
//! The CSV points reader: header detection, delimiter sniffing, block cutting
//! at record ends outside quotes; every block's pieces must parse as records.
use libfuzzer_sys::fuzz_target;
use territory::io::points::{Block, PointReader};

fuzz_target!(|data: &[u8]| {
    let input = Box::new(std::io::Cursor::new(data.to_vec()));
    if let Ok(mut reader) = PointReader::csv_from(input, "fuzz", None, None) {
        let mut block = Block::default();
        for _ in 0..1000 {
            let more = match reader.read_block(&mut block, 64) {
                Ok(more) => more,
                Err(_) => break,
            };
            for piece in &block.pieces {
                assert!(piece.range.end <= block.bytes.len());
                let mut r = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(reader.delimiter)
                    .from_reader(&block.bytes[piece.range.clone()]);
                for rec in r.byte_records() {
                    let _ = rec;
                }
            }
            if !more {
                break;
            }
        }
    }
});
