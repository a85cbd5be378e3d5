//! `GET /api/v1/regions`.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use crate::error::AppResult;
use crate::services::regions;

use super::AppState;

#[derive(Serialize)]
pub struct RegionsBody {
    townships: Vec<TownshipBody>,
}

#[derive(Serialize)]
struct TownshipBody {
    code: String,
    name: String,
    villages: Vec<VillageBody>,
}

#[derive(Serialize)]
struct VillageBody {
    code: String,
    name: String,
}

pub async fn api_list(State(state): State<AppState>) -> AppResult<Json<RegionsBody>> {
    let townships = regions::list(&state.db).await?;
    Ok(Json(RegionsBody {
        townships: townships
            .into_iter()
            .map(|t| TownshipBody {
                code: t.code,
                name: t.name,
                villages: t
                    .villages
                    .into_iter()
                    .map(|v| VillageBody {
                        code: v.code,
                        name: v.name,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

/// `(code, name)` pairs for select boxes.
pub async fn township_options(state: &AppState) -> AppResult<Vec<(String, String)>> {
    Ok(regions::list(&state.db)
        .await?
        .into_iter()
        .map(|t| (t.code, t.name))
        .collect())
}
