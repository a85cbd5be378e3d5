//! `GET /api/v1/regions`.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use crate::error::AppResult;
use crate::services::regions;

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
