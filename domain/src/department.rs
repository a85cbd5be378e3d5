//! The government departments that receive referrals (转介), from the fixed
//! list of API.md: one door at the township, joint handling behind it
//! (一门受理、协同办理, policy 四（二）).

use super::coded::coded_enum;

coded_enum! {
    /// A department of the county government (or a mass organisation) that
    /// a `department_staff` account belongs to and a referral is sent to.
    pub enum Department ("未知的部门") {
        CivilAffairs = "civil_affairs", "县民政局";
        WomenChildrenCommittee = "women_children_committee", "县妇儿工委办";
        Education = "education", "县教委";
        Health = "health", "县卫生健康委";
        HumanResources = "human_resources", "县人力社保局";
        MedicalInsurance = "medical_insurance", "县医疗保障局";
        Police = "police", "县公安局";
        Justice = "justice", "县司法局";
        DisabledPersonsFederation = "disabled_persons_federation", "县残联";
        WomensFederation = "womens_federation", "县妇联";
        YouthLeague = "youth_league", "团县委";
        TradeUnion = "trade_union", "县总工会";
    }
}

impl Department {
    /// The short name the policy uses (民政, 教育, 残联…).
    pub fn short(self) -> &'static str {
        match self {
            Department::CivilAffairs => "民政",
            Department::WomenChildrenCommittee => "妇儿工委办",
            Department::Education => "教育",
            Department::Health => "卫生健康",
            Department::HumanResources => "人力社保",
            Department::MedicalInsurance => "医疗保障",
            Department::Police => "公安",
            Department::Justice => "司法",
            Department::DisabledPersonsFederation => "残联",
            Department::WomensFederation => "妇联",
            Department::YouthLeague => "团县委",
            Department::TradeUnion => "总工会",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_twelve_codes_of_the_api_contract_round_trip() {
        assert_eq!(Department::ALL.len(), 12);
        for d in Department::ALL {
            assert_eq!(d.as_str().parse::<Department>(), Ok(*d));
            assert!(!d.short().is_empty());
        }
        assert!("school".parse::<Department>().is_err());
    }
}
