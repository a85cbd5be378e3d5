//! `/`: the landing page, or the home page of the logged-in role.

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use crate::domain::Role;
use crate::domain::family::FamilyStatus;
use crate::domain::provider::ProviderStatus;
use crate::error::AppResult;
use crate::services::{Paging, families, offers, providers, regions};
use crate::views;
use crate::views::home::StaffHome;

use super::AppState;
use super::chrome::Chrome;

pub async fn home(State(state): State<AppState>, chrome: Chrome) -> AppResult<Response> {
    let ctx = chrome.ctx();
    let Some(user) = chrome.user.as_ref() else {
        return Ok(views::home::landing(&ctx).into_response());
    };
    let one = Paging::new(Some(1), None);
    if user.role == Role::DepartmentStaff {
        // A department's work is its referral queue.
        return Ok(axum::response::Redirect::to("/referrals").into_response());
    }
    let markup = match user.role {
        Role::Provider => {
            let id = user.provider_id.clone().unwrap_or_default();
            let view = providers::get(&state.db, user, &id).await?;
            let all = state.regions.clone();
            let townships: Vec<String> = view
                .townships
                .iter()
                .map(|t| regions::township_name(&all, t).to_owned())
                .collect();
            let may_post = offers::may_post(&state.db, user).await?;
            views::home::provider_home(&ctx, &view.provider, &townships, may_post)
        }
        Role::Family => {
            let id = user.family_id.clone().unwrap_or_default();
            let family = families::get(&state.db, user, &id).await?;
            let may_post = offers::may_post(&state.db, user).await?;
            views::home::family_home(&ctx, &family, may_post)
        }
        role => {
            let pending_providers = if role == Role::CountyAdmin {
                providers::list(&state.db, user, Some(ProviderStatus::Pending), one)
                    .await?
                    .total
            } else {
                0
            };
            let families_waiting = if matches!(role, Role::CountyAdmin | Role::TownshipOfficer) {
                families::list(&state.db, user, Some(FamilyStatus::Submitted), one)
                    .await?
                    .total
            } else {
                0
            };
            let all = state.regions.clone();
            let township_name = user
                .township
                .as_deref()
                .map(|t| regions::township_name(&all, t).to_owned());
            let village_name = user.village.as_deref().and_then(|v| {
                all.iter()
                    .flat_map(|t| t.villages.iter())
                    .find(|x| x.code == v)
                    .map(|x| x.name.clone())
            });
            let data = StaffHome {
                pending_providers,
                families_waiting,
                township_name,
                village_name,
            };
            views::home::staff_home(&ctx, role, &data)
        }
    };
    Ok(markup.into_response())
}
