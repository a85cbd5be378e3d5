//! `GET /api/v1/regions`.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use crate::error::AppResult;

use super::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct RegionsBody {
    townships: Vec<TownshipBody>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct TownshipBody {
    code: String,
    name: String,
    villages: Vec<VillageBody>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct VillageBody {
    code: String,
    name: String,
}

/// Townships and their villages.
#[utoipa::path(
    get,
    path = "/api/v1/regions",
    tag = "regions",
    operation_id = "regions_list",
    responses(
        (status = 200, description = "Every township with its villages", body = RegionsBody),
    )
)]
pub async fn api_list(State(state): State<AppState>) -> AppResult<Json<RegionsBody>> {
    Ok(Json(RegionsBody {
        townships: state
            .regions
            .iter()
            .map(|t| TownshipBody {
                code: t.code.clone(),
                name: t.name.clone(),
                villages: t
                    .villages
                    .iter()
                    .map(|v| VillageBody {
                        code: v.code.clone(),
                        name: v.name.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }))
}

/// `(code, name)` pairs for select boxes.
pub async fn township_options(state: &AppState) -> AppResult<Vec<(String, String)>> {
    Ok(state
        .regions
        .iter()
        .map(|t| (t.code.clone(), t.name.clone()))
        .collect())
}
