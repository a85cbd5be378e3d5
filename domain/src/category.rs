//! The one list of service categories shared by needs and offers, so that a
//! need and an offer can be compared.

use super::coded::coded_enum;

coded_enum! {
    /// What kind of help a need asks for or an offer gives.
    pub enum Category ("未知的服务类别") {
        DailyCare = "daily_care", "生活照料";
        Tutoring = "tutoring", "课业辅导（四点半课堂）";
        Rehabilitation = "rehabilitation", "康复训练";
        Medical = "medical", "医疗救助";
        Counselling = "counselling", "心理疏导";
        LegalAid = "legal_aid", "法律援助/权益维护";
        DonationMoney = "donation_money", "资金捐赠";
        DonationGoods = "donation_goods", "物资捐赠";
        FamilyEducation = "family_education", "家庭教育指导";
        Companionship = "companionship", "结对陪伴（1+1+N）";
        FosterCare = "foster_care", "家庭寄养";
        EntrustedCare = "entrusted_care", "委托代养";
        Sponsorship = "sponsorship", "爱心助养";
    }
}

impl Category {
    /// Whether a quantity counts for this category (an amount of money or a
    /// number of items); for services the quantity is the number of children.
    pub fn quantity_unit(self) -> &'static str {
        match self {
            Category::DonationMoney => "元",
            Category::DonationGoods => "件",
            _ => "人",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>(), Ok(*c));
        }
        let mut codes: Vec<_> = Category::ALL.iter().map(|c| c.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 13);
        assert!("tutor".parse::<Category>().is_err());
    }
}
