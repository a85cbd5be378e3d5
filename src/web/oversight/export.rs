//! The ledger export as a download: CSV (UTF-8 with a byte-order mark, so
//! that Excel reads it as UTF-8) streamed a page of files at a time, or
//! an .xlsx workbook written in constant memory to a temporary file and
//! then streamed from it. Either way memory holds one page.

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use rust_xlsxwriter::Workbook;

use crate::error::{AppError, AppResult};
use crate::services::ServiceError;
use crate::services::oversight::ledger::{self, Format, Ledger};

use super::super::AppState;

/// The byte-order mark that opens the CSV.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

fn internal(context: &str, e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::from(ServiceError::caused(context.to_owned(), e))
}

pub(crate) fn csv_rows(rows: &[Vec<String>]) -> Result<Bytes, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 160));
    for row in rows {
        out.write_record(row)?;
    }
    out.into_inner()
        .map(Bytes::from)
        .map_err(|e| csv::Error::from(e.into_error()))
}

pub(crate) fn download(content_type: &'static str, name: &str, body: Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            // Personal data: kept by no cache on the way.
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// The file name of an export: `ledger-<township or county>-<format>`.
fn file_name(ledger: &Ledger, format: Format) -> String {
    let scope = ledger.scope.township().unwrap_or("county");
    format!("ledger-{scope}.{}", format.code())
}

/// The export as a streamed response (the export is audited already).
pub async fn respond(state: AppState, ledger: Ledger, format: Format) -> AppResult<Response> {
    match format {
        Format::Csv => Ok(csv_response(state, ledger)),
        Format::Xlsx => xlsx_response(state, ledger).await,
    }
}

fn csv_response(state: AppState, ledger: Ledger) -> Response {
    let name = file_name(&ledger, Format::Csv);
    let head = {
        let mut bytes = BOM.to_vec();
        let header: Vec<String> = ledger::header(ledger.identity)
            .into_iter()
            .map(str::to_owned)
            .collect();
        match csv_rows(&[header]) {
            Ok(h) => bytes.extend_from_slice(&h),
            Err(e) => tracing::error!(error = %e, "ledger header"),
        }
        Bytes::from(bytes)
    };
    let pages =
        futures_util::stream::try_unfold((state, ledger), |(state, mut ledger)| async move {
            let rows = ledger::next_page(state.store(), &mut ledger, &state.regions)
                .await
                .map_err(|e| {
                    tracing::error!(error = %e, "ledger page");
                    std::io::Error::other("ledger page")
                })?;
            if rows.is_empty() {
                return Ok(None);
            }
            let bytes = csv_rows(&rows).map_err(std::io::Error::other)?;
            Ok::<_, std::io::Error>(Some((bytes, (state, ledger))))
        });
    let first = futures_util::stream::once(async move { Ok::<_, std::io::Error>(head) });
    let body = Body::from_stream(futures_util::StreamExt::chain(first, pages));
    download("text/csv; charset=utf-8", &name, body)
}

async fn xlsx_response(state: AppState, mut ledger: Ledger) -> AppResult<Response> {
    let name = file_name(&ledger, Format::Xlsx);
    let mut workbook = Workbook::new();
    {
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(|e| internal("xlsx sheet", e))?;
        sheet
            .set_name("台账")
            .map_err(|e| internal("xlsx sheet", e))?;
        for (c, title) in ledger::header(ledger.identity).iter().enumerate() {
            sheet
                .write_string(0, c as u16, *title)
                .map_err(|e| internal("xlsx header", e))?;
        }
    }
    let mut next_row: u32 = 1;
    loop {
        let rows = ledger::next_page(state.store(), &mut ledger, &state.regions).await?;
        if rows.is_empty() {
            break;
        }
        let start = next_row;
        next_row += rows.len() as u32;
        // Writing is CPU work: off the async executor, a page at a time.
        workbook = tokio::task::spawn_blocking(move || -> Result<Workbook, AppError> {
            let sheet = workbook
                .worksheet_from_index(0)
                .map_err(|e| internal("xlsx sheet", e))?;
            for (i, row) in rows.iter().enumerate() {
                for (c, value) in row.iter().enumerate() {
                    sheet
                        .write_string(start + i as u32, c as u16, value)
                        .map_err(|e| internal("xlsx row", e))?;
                }
            }
            Ok(workbook)
        })
        .await
        .map_err(|e| internal("xlsx task", e))??;
    }
    let file = tempfile::NamedTempFile::new().map_err(|e| internal("xlsx file", e))?;
    let path = file.path().to_owned();
    tokio::task::spawn_blocking(move || workbook.save(&path))
        .await
        .map_err(|e| internal("xlsx task", e))?
        .map_err(|e| internal("xlsx save", e))?;
    let reader = tokio::fs::File::open(file.path())
        .await
        .map_err(|e| internal("xlsx open", e))?;
    // The temporary file lives as long as the stream: removed when sent.
    let chunks =
        futures_util::stream::try_unfold((reader, file), |(mut reader, file)| async move {
            use tokio::io::AsyncReadExt;
            let mut buf = vec![0u8; 64 * 1024];
            let n = reader.read(&mut buf).await?;
            if n == 0 {
                return Ok(None);
            }
            buf.truncate(n);
            Ok::<_, std::io::Error>(Some((Bytes::from(buf), (reader, file))))
        });
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &name,
        Body::from_stream(chunks),
    ))
}
