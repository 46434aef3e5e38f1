//! What a Parquet file may make this tool decode: the footer's chunks
//! within the file, dictionary columns kept as dictionaries, each row's
//! decoded size (see [`super::Batches::next_batch`]).

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ArrowReaderMetadata;
use std::sync::Arc;

use crate::error::{Error, Result};

/// The file's Arrow schema with each top-level text or binary column whose
/// chunks are all dictionary-encoded made a dictionary (`None`: no change).
pub(super) fn dictionary_schema(meta: &ArrowReaderMetadata) -> Option<arrow_schema::SchemaRef> {
    let schema = meta.schema();
    let pq = meta.metadata();
    let leaves = pq.file_metadata().schema_descr();
    let mut changed = false;
    let fields: Vec<arrow_schema::FieldRef> = schema
        .fields()
        .iter()
        .map(|f| {
            let byte_array = matches!(
                f.data_type(),
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Binary | DataType::LargeBinary
            );
            // The leaf column of this top-level field (a plain column is one).
            let leaf = (0..leaves.num_columns()).find(|&i| {
                let path = leaves.column(i).path().parts().to_vec();
                path.len() == 1 && path[0] == *f.name()
            });
            // Only where every data page is dictionary-encoded (the parquet
            // crate's own test): a writer that fell back to plain pages
            // stores its values in full, and reading those as a dictionary
            // would only cost a hash of every value.
            let paged = leaf.is_some_and(|i| {
                pq.num_row_groups() > 0
                    && pq.row_groups().iter().all(|rg| {
                        let c = rg.column(i);
                        // Without page statistics, a dictionary page is taken
                        // at its word (safe, if slower on a fallen-back chunk).
                        c.dictionary_page_offset().is_some()
                            && c.page_encoding_stats_mask().is_none_or(|m| {
                                m.is_only(parquet::basic::Encoding::PLAIN_DICTIONARY)
                                    || m.is_only(parquet::basic::Encoding::RLE_DICTIONARY)
                            })
                    })
            });
            if byte_array && paged {
                changed = true;
                Arc::new(f.as_ref().clone().with_data_type(DataType::Dictionary(
                    Box::new(DataType::Int32),
                    Box::new(f.data_type().clone()),
                )))
            } else {
                f.clone()
            }
        })
        .collect();
    changed.then(|| {
        Arc::new(arrow_schema::Schema::new_with_metadata(
            fields,
            schema.metadata().clone(),
        ))
    })
}

/// Each row's decoded size in bytes for the variable-width columns (text,
/// binary, and dictionaries of them, counted once per row that uses a
/// value); `None` for the other types, whose size is their array's.
pub(super) fn row_sizes(col: &ArrayRef) -> Option<Vec<usize>> {
    let n = col.len();
    let of = |offsets: &[i64]| offsets.windows(2).map(|w| (w[1] - w[0]) as usize).collect();
    Some(match col.data_type() {
        DataType::Utf8 | DataType::Binary => {
            let o = col.to_data().buffers()[0].typed_data::<i32>().to_vec();
            let o: Vec<i64> = o[col.offset()..=col.offset() + n]
                .iter()
                .map(|&x| i64::from(x))
                .collect();
            of(&o)
        }
        DataType::LargeUtf8 | DataType::LargeBinary => {
            let data = col.to_data();
            let o = data.buffers()[0].typed_data::<i64>();
            of(&o[col.offset()..=col.offset() + n])
        }
        DataType::Utf8View => {
            let a = col.as_string_view();
            (0..n).map(|i| a.value(i).len()).collect()
        }
        DataType::BinaryView => {
            let a = col.as_binary_view();
            (0..n).map(|i| a.value(i).len()).collect()
        }
        DataType::Dictionary(_, _) => {
            let d = col.as_any_dictionary();
            let sizes = row_sizes(d.values())?;
            d.normalized_keys()
                .into_iter()
                .enumerate()
                .map(|(i, k)| {
                    if col.is_null(i) {
                        0
                    } else {
                        sizes.get(k).copied().unwrap_or(0)
                    }
                })
                .collect()
        }
        _ => return None,
    })
}

/// Every column chunk the footer describes lies within the file (the
/// parquet crate asserts it, a panic, when it reads one: found by fuzzing).
pub(super) fn check_chunks(
    meta: &parquet::file::metadata::ParquetMetaData,
    file_len: u64,
    label: &str,
) -> Result<()> {
    for (g, rg) in meta.row_groups().iter().enumerate() {
        for c in rg.columns() {
            let start = c
                .dictionary_page_offset()
                .unwrap_or_else(|| c.data_page_offset());
            let len = c.compressed_size();
            let fits = start >= 0
                && len >= 0
                && (start as u64)
                    .checked_add(len as u64)
                    .is_some_and(|end| end <= file_len);
            if !fits {
                return Err(Error::BadFile {
                    path: label.to_string(),
                    what: format!(
                        "corrupt footer: row group {}, column {:?} lies outside the file (bytes {start}, length {len}, file {file_len})",
                        g + 1,
                        c.column_path().string()
                    ),
                });
            }
        }
    }
    Ok(())
}
