//! How matches cover a need: how many approved matches a need wants, and
//! the need's status that follows from its matches.

use super::super::category::Category;
use super::super::need::NeedStatus;

/// How many approved matches cover a need. A need counted in children
/// wants its quantity (one when unset); a donation's or medical aid's
/// quantity is an amount (yuan, items: the need form asks for money in yuan)
/// that one donor's match answers, so it wants one.
pub fn matches_wanted(category: Category, quantity: Option<i32>) -> u32 {
    match category {
        Category::DonationMoney | Category::DonationGoods | Category::Medical => 1,
        _ => quantity.map_or(1, |q| u32::try_from(q.max(1)).unwrap_or(1)),
    }
}

/// The status a need takes from its matches: `holding` of them hold a
/// place of their offer (approved, in service or completed), `completed`
/// of those are completed. Covered needs are `matched`, and `fulfilled`
/// once every holding match is completed; a need no longer covered (a
/// match was cancelled) is `published` again. Drafts and closed needs do
/// not follow their matches.
pub fn need_status(current: NeedStatus, wanted: u32, holding: u32, completed: u32) -> NeedStatus {
    if !matches!(
        current,
        NeedStatus::Published | NeedStatus::Matched | NeedStatus::Fulfilled
    ) {
        return current;
    }
    if holding < wanted.max(1) {
        NeedStatus::Published
    } else if completed >= holding {
        NeedStatus::Fulfilled
    } else {
        NeedStatus::Matched
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_count_by_quantity_and_donations_once() {
        assert_eq!(matches_wanted(Category::Tutoring, None), 1);
        assert_eq!(matches_wanted(Category::Tutoring, Some(2)), 2);
        assert_eq!(matches_wanted(Category::DonationMoney, Some(5000)), 1);
        assert_eq!(matches_wanted(Category::DonationGoods, Some(3)), 1);
        assert_eq!(matches_wanted(Category::Medical, Some(20000)), 1);
    }

    #[test]
    fn a_need_follows_its_matches() {
        use NeedStatus as N;
        assert_eq!(need_status(N::Published, 1, 1, 0), N::Matched);
        assert_eq!(need_status(N::Published, 2, 1, 0), N::Published);
        assert_eq!(need_status(N::Published, 2, 2, 0), N::Matched);
        assert_eq!(need_status(N::Matched, 2, 1, 0), N::Published);
        assert_eq!(need_status(N::Matched, 2, 2, 1), N::Matched);
        assert_eq!(need_status(N::Matched, 2, 2, 2), N::Fulfilled);
        // A completed match of a need not yet covered leaves it open.
        assert_eq!(need_status(N::Published, 2, 1, 1), N::Published);
        for done in [N::Draft, N::Closed] {
            assert_eq!(need_status(done, 1, 1, 1), done);
        }
    }
}
